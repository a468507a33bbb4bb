import { verifySignature } from "#ecdsa";
import { fromDerSignatureHex } from "../encoding/fromDerSignatureHex";
import { parseDeviceKeyHex } from "../encoding/parseDeviceKeyHex";
import { messageBytes } from "./messageBytes";

/**
 * Verifies a device signature as Kontist's server does: `signatureHex` is the hex of a strict DER
 * ECDSA signature over SHA-256 of the message's UTF-8 bytes, by the key `publicKeyHex` (the `key` given
 * to `POST /api/user/devices`). High-S signatures are valid ECDSA and are accepted (real signers do not
 * all normalise); anything Wycheproof marks invalid is rejected. Agrees with all 484 Wycheproof
 * `ecdsa_secp256r1_sha256` vectors. On Node it verifies with node:crypto, elsewhere with @noble/curves.
 *
 * @param publicKeyHex - 130 hex characters of the uncompressed point `04‖X‖Y`, either case.
 * @param message - the signed string (UTF-8 encoded) or bytes.
 * @param signatureHex - the hex of the DER signature, either case.
 * @returns `true` for a valid signature; `false` for a wrong one, bad hex or bad DER.
 * @throws {InvalidPublicKeyError} when `publicKeyHex` is not a P-256 point (see {@link parseDeviceKeyHex}).
 * @throws {TypeError} when an argument has the wrong type.
 *
 * @example
 * const key = toDeviceKeyHex(await signer.getPublicKey()); // the device's `key`, as registered
 * const signature = await createDeviceSignature(signer, "the challenge's stringToSign");
 * verifyDeviceSignature(key, "the challenge's stringToSign", signature); // true
 * verifyDeviceSignature(key, "another message", signature); // false
 */
export function verifyDeviceSignature(
  publicKeyHex: string,
  message: string | Uint8Array,
  signatureHex: string,
): boolean {
  const publicKey = parseDeviceKeyHex(publicKeyHex);
  const bytes = messageBytes(message, "verifyDeviceSignature");
  if (typeof signatureHex !== "string") {
    throw new TypeError("verifyDeviceSignature: signatureHex must be a string.");
  }
  try {
    return verifySignature(publicKey, bytes, fromDerSignatureHex(signatureHex));
  } catch {
    return false;
  }
}
