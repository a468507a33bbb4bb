import type { MfaChallengeRecord } from "../state/SandboxStore";

/**
 * The `cnf.kid` a verified push MFA challenge confirms tokens with: the device that approved it (the
 * `cnf.kid` of the approving token), or, when approved through `/sandbox/` without a device, the
 * challenge's own id.
 *
 * @example
 * import { issueConfirmedToken } from "../oauth/issueConfirmedToken";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import type { MfaChallengeRecord } from "../state/SandboxStore";
 *
 * // The tokens of a VERIFIED challenge (`cnf.kid`: its confirmation), in its sign-in session
 * // (`challenge.sessionId`, which the route checks is the bearer's `sid`).
 * function confirmedToken(runtime: SandboxRuntime, challenge: MfaChallengeRecord, sessionId: string) {
 *   const { userId, clientId, scopes } = challenge;
 *   const deviceId = mfaChallengeConfirmation(challenge);
 *   return issueConfirmedToken(runtime, { userId, clientId, scopes, sessionId, deviceId });
 * }
 */
export function mfaChallengeConfirmation(challenge: MfaChallengeRecord): string {
  return challenge.deviceId ?? challenge.id;
}
