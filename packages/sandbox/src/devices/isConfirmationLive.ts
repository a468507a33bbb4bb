import type { SandboxStore } from "../state/SandboxStore";

/**
 * Whether a confirmation (`cnf.kid`) of the user `userId` still holds, so that stored state may go on
 * minting confirmed tokens with it (a refresh token, an authorization code, a login session, an approved
 * push challenge): `kid` names a verified device of the user that is still bound, or a push challenge of
 * the user approved through `/sandbox/` (the sandbox's stand-in for the user's phone, which has no device
 * record and cannot be deleted). A deleted device's confirmations are dead.
 *
 * @example
 * import { OAuth2Error } from "../oauth/OAuth2Error";
 * import type { RefreshTokenRecord, SandboxStore } from "../state/SandboxStore";
 *
 * // The refresh token grant, before a confirmed refresh token mints another confirmed access token.
 * function ensureStillConfirmed(store: SandboxStore, record: RefreshTokenRecord): void {
 *   if (record.deviceId !== undefined && !isConfirmationLive(store, record.userId, record.deviceId)) {
 *     throw new OAuth2Error("invalid_grant", "The device that confirmed this refresh token was deleted.");
 *   }
 * }
 */
export function isConfirmationLive(store: SandboxStore, userId: string, kid: string): boolean {
  const device = store.devices.get(kid);
  if (device !== undefined) return device.userId === userId && device.verified;
  const challenge = store.mfaChallenges.get(kid);
  return (
    challenge !== undefined &&
    challenge.userId === userId &&
    challenge.status === "VERIFIED" &&
    challenge.deviceId === undefined
  );
}
