import { isBytes } from "../encoding/isBytes";
import { normalizeLowS } from "../encoding/normalizeLowS";
import { splitRawSignature } from "../encoding/splitRawSignature";
import { toDerSignatureHex } from "../encoding/toDerSignatureHex";
import { SignerError } from "../errors";
import type { P256Signer } from "../signer/P256Signer";
import { messageBytes } from "./messageBytes";

/**
 * Signs a message with any {@link P256Signer} and returns the `signature` Kontist's device endpoints
 * take: the hex of the DER-encoded low-S ECDSA signature over SHA-256 of the message's UTF-8 bytes.
 * This is the one place the SDK turns a signer's output into the wire format, so a WebCrypto or HSM signer
 * that returns high-S ends up low-S like every other backend.
 *
 * @param signer - the device's signer.
 * @param message - the OTP (device verification) or the `stringToSign` (device challenge); strings are
 *   UTF-8 encoded, bytes are signed as they are.
 * @returns lowercase hex of the strict DER `SEQUENCE { r, s }` with `s ≤ n/2`.
 * @throws {SignerError} when `signer.sign` throws or rejects (the original error is the `cause`), or
 *   resolves to anything but 64 bytes `r‖s` with `r` and `s` in `[1, n−1]`.
 * @throws {TypeError} when `message` is neither a string nor a `Uint8Array`.
 *
 * @example
 * // `signer` holds the key of the device bound as "device-id".
 * const { id, stringToSign } = await client.auth.device.createDeviceChallenge("device-id");
 * const signature = await createDeviceSignature(signer, stringToSign);
 * const token = await client.auth.device.verifyDeviceChallenge("device-id", id, { signature });
 */
export async function createDeviceSignature(
  signer: P256Signer,
  message: string | Uint8Array,
): Promise<string> {
  const bytes = messageBytes(message, "createDeviceSignature");
  let rs: unknown;
  try {
    rs = await signer.sign(bytes);
  } catch (cause) {
    throw new SignerError("The signer failed to sign the message.", { cause });
  }
  if (!isBytes(rs)) throw new SignerError("The signer returned a signature that is not a Uint8Array.");
  if (rs.length !== 64) {
    throw new SignerError(`The signer returned ${rs.length} bytes; a P-256 signature r‖s is 64 bytes.`);
  }
  try {
    splitRawSignature(rs);
  } catch (cause) {
    throw new SignerError("The signer returned a signature whose r or s is outside [1, n−1].", { cause });
  }
  return toDerSignatureHex(normalizeLowS(rs));
}
