import type { MfaChallengeRecord } from "../state/SandboxStore";

/**
 * The `cnf.kid` a verified push MFA challenge confirms tokens with: the device that approved it (the
 * `cnf.kid` of the approving token), or, when approved through `/sandbox/` without a device, the
 * challenge's own id.
 *
 * @example
 * issueAccessToken(runtime, { userId, clientId, scopes, deviceId: mfaChallengeConfirmation(challenge) });
 */
export function mfaChallengeConfirmation(challenge: MfaChallengeRecord): string {
  return challenge.deviceId ?? challenge.id;
}
