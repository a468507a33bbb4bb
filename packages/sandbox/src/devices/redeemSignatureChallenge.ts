import { verifyDeviceSignature } from "@kontist-auth/crypto";
import { ApiError } from "../http/ApiError";
import type { DeviceRecord, SignatureChallengeRecord } from "../state/SandboxStore";

/**
 * Spends `challenge` (an OTP or a device challenge) if `signature` — DER hex, ECDSA-SHA256 over the UTF-8
 * bytes of the challenge's message — verifies with the device's key. A challenge is single-use, expires,
 * and dies after `otpAttempts` wrong signatures.
 *
 * @throws {ApiError} 409 when already used; 410 when expired or out of attempts; 400 for a signature that
 *   does not verify (which costs an attempt).
 */
export function redeemSignatureChallenge(
  challenge: SignatureChallengeRecord,
  device: DeviceRecord,
  signature: string,
  now: number,
): void {
  if (challenge.used) throw new ApiError(409, "This challenge has already been used.");
  if (now >= challenge.expiresAt) throw new ApiError(410, "This challenge has expired.");
  if (challenge.attemptsLeft <= 0) {
    throw new ApiError(410, "This challenge has no attempts left; start a new one.");
  }
  if (!verifyDeviceSignature(device.keyHex, challenge.message, signature)) {
    challenge.attemptsLeft -= 1;
    const left = challenge.attemptsLeft;
    throw new ApiError(
      400,
      `The signature does not verify with the device's key (${left} attempt${left === 1 ? "" : "s"} left).`,
    );
  }
  challenge.used = true;
}
