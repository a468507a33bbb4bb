import type { SandboxStore } from "./SandboxStore";

/**
 * How many entries the sandbox holds, per area of its state (as `RunningSandbox.stateSize()` answers):
 * what grows with logins, devices and challenges and shrinks again as expired entries are pruned.
 * `total` is the sum of the others.
 */
export interface SandboxStateSize {
  refreshTokens: number;
  authorizationCodes: number;
  loginSessions: number;
  pendingLogins: number;
  devices: number;
  deviceVerifications: number;
  deviceChallenges: number;
  mfaChallenges: number;
  deviceBindingRequests: number;
  /** Users with device registrations in the current `deviceRegistrationWindow`. */
  deviceRegistrations: number;
  /** Access tokens and IP addresses with requests in the current `rateLimit` window. */
  rateLimitWindows: number;
  sms: number;
  emails: number;
  transactions: number;
  total: number;
}

/**
 * Counts the entries of `store` per area.
 *
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * measureState(createSandboxRuntime(resolveSandboxOptions()).store).total; // 0: only seeds, not counted
 */
export function measureState(store: SandboxStore): SandboxStateSize {
  const size = {
    refreshTokens: store.refreshTokens.size,
    authorizationCodes: store.authorizationCodes.size,
    loginSessions: store.loginSessions.size,
    pendingLogins: store.pendingLogins.size,
    devices: store.devices.size,
    deviceVerifications: store.deviceVerifications.size,
    deviceChallenges: store.deviceChallenges.size,
    mfaChallenges: store.mfaChallenges.size,
    deviceBindingRequests: store.deviceBindingRequests.size,
    deviceRegistrations: store.deviceRegistrations.size,
    rateLimitWindows: store.rateLimitWindows.size,
    sms: store.sms.length,
    emails: store.emails.length,
    transactions: store.transactions.size,
  };
  return { ...size, total: Object.values(size).reduce((sum, count) => sum + count, 0) };
}
