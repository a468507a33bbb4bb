import type { SandboxConfig } from "../options/SandboxOptions";
import type { SandboxStore, SignatureChallengeRecord } from "./SandboxStore";

function pruneMap<V>(map: Map<string, V>, expired: (value: V) => boolean): void {
  for (const [key, value] of map) if (expired(value)) map.delete(key);
}

function pruneTimes(map: Map<string, number[]>, since: number): void {
  for (const [key, times] of map) {
    const live = times.filter((at) => at > since);
    if (live.length === 0) map.delete(key);
    else if (live.length !== times.length) map.set(key, live);
  }
}

function pruneArray<T>(array: T[], expired: (value: T) => boolean): void {
  const live = array.filter((value) => !expired(value));
  if (live.length !== array.length) array.splice(0, array.length, ...live);
}

/**
 * Drops the state that can no longer change an answer's outcome, so a long-running sandbox's memory
 * settles back: refresh tokens, authorization codes, login sessions, OTPs and device challenges past
 * their expiry (a used code is kept while its refresh-token family lives, so replaying it still revokes
 * the family); push challenges past `expiresAt` that no live token, code or session names as its
 * confirmation (`cnf.kid`), with the logins waiting for them; device binding requests answered more than
 * `deviceBindingWindow` ago (an unanswered one stays: Kontist states no lifetime for it); devices never
 * verified whose OTPs are gone; SMS whose OTP has expired and e-mails whose binding request is gone;
 * device-registration and rate-limit windows that have passed. A pruned id then reads as unknown (404,
 * `invalid_grant`, "no longer pending") where before it read as expired (410, `invalid_grant`, a denial).
 * Seeds, bound devices, transactions, faults and stats stay.
 *
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * pruneExpiredState(runtime.store, runtime.config, runtime.now()); // what the pruneInterval timer does
 */
export function pruneExpiredState(store: SandboxStore, config: SandboxConfig, now: number): void {
  const past = (expiresAt: number) => now >= expiresAt;
  pruneMap(store.refreshTokens, (token) => past(token.expiresAt));
  pruneMap(store.loginSessions, (session) => past(session.expiresAt));
  const liveFamilies = new Set<string>();
  for (const token of store.refreshTokens.values()) if (!token.revoked) liveFamilies.add(token.familyId);
  pruneMap(store.authorizationCodes, (code) => past(code.expiresAt) && !liveFamilies.has(code.familyId));

  const signatureExpired = (challenge: SignatureChallengeRecord) => past(challenge.expiresAt);
  pruneMap(store.deviceVerifications, signatureExpired);
  pruneMap(store.deviceChallenges, signatureExpired);
  const verifying = new Set<string>();
  for (const verification of store.deviceVerifications.values()) verifying.add(verification.deviceId);
  pruneMap(store.devices, (device) => !device.verified && !verifying.has(device.id));

  const confirmations = new Set<string>();
  for (const holder of [store.refreshTokens, store.loginSessions, store.authorizationCodes]) {
    for (const { deviceId } of holder.values()) if (deviceId !== undefined) confirmations.add(deviceId);
  }
  const challengeGone = (id: string) => {
    const challenge = store.mfaChallenges.get(id);
    return challenge === undefined || past(challenge.expiresAt);
  };
  pruneMap(store.pendingLogins, (login) => challengeGone(login.challengeId));
  pruneMap(store.mfaChallenges, (challenge) => past(challenge.expiresAt) && !confirmations.has(challenge.id));

  const window = config.deviceBindingWindow * 1000;
  pruneMap(store.deviceBindingRequests, (request) => {
    const answeredAt = request.confirmedAt ?? request.rejectedAt;
    return answeredAt !== undefined && past(answeredAt + window);
  });
  pruneArray(store.sms, (sms) => past(Date.parse(sms.sentAt) + config.otpTtl * 1000));
  pruneArray(
    store.emails,
    (email) =>
      email.deviceBindingRequestId !== undefined &&
      !store.deviceBindingRequests.has(email.deviceBindingRequestId),
  );
  pruneTimes(store.deviceRegistrations, now - config.deviceRegistrationWindow * 1000);
  if (config.rateLimit === false) store.rateLimitWindows.clear();
  else pruneTimes(store.rateLimitWindows, now - config.rateLimit.windowMs);
}
