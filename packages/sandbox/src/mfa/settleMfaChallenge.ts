import { ApiError } from "../http/ApiError";
import type { MfaChallengeRecord } from "../state/SandboxStore";

/**
 * Records the phone's answer to a push MFA challenge: `VERIFIED` (by the device `deviceId`, if known) or
 * `DENIED`. Only a pending, unexpired challenge can be answered, once.
 *
 * @throws {ApiError} 409 when it was already answered; 410 when it has expired.
 */
export function settleMfaChallenge(
  challenge: MfaChallengeRecord,
  status: "VERIFIED" | "DENIED",
  now: number,
  deviceId?: string,
): void {
  if (challenge.status !== "PENDING") {
    throw new ApiError(409, `This MFA challenge has already been answered (${challenge.status}).`);
  }
  if (now >= challenge.expiresAt) throw new ApiError(410, "This MFA challenge has expired.");
  challenge.status = status;
  challenge.deviceId = status === "VERIFIED" ? deviceId : undefined;
}
