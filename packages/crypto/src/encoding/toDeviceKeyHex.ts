import { assertUncompressedP256Point } from "../curve/assertUncompressedP256Point";
import { bytesToHex } from "./hex";
import { isBytes } from "./isBytes";

/**
 * Encodes a device public key for the wire: the `key` of `POST /api/user/devices` is the SEC1
 * uncompressed point `04‖X‖Y` (SEC 1 §2.3.3) as lowercase hex, without a SubjectPublicKeyInfo header
 * (130 characters starting `04`).
 *
 * @param publicKey - the 65-byte uncompressed point, as {@link P256Signer.getPublicKey} returns it.
 * @returns 130 lowercase hex characters.
 * @throws {InvalidPublicKeyError} when `publicKey` is not 65 bytes, does not start with `0x04`, or is not
 *   a point on P-256.
 * @throws {TypeError} when `publicKey` is not a `Uint8Array`.
 *
 * @example
 * const signer = createSoftwareSigner();
 * const key = toDeviceKeyHex(await signer.getPublicKey()); // "04…" (130 chars)
 * await client.auth.device.createDevice({ name: "my laptop", key });
 */
export function toDeviceKeyHex(publicKey: Uint8Array): string {
  if (!isBytes(publicKey)) throw new TypeError("toDeviceKeyHex: publicKey must be a Uint8Array.");
  assertUncompressedP256Point(publicKey);
  return bytesToHex(publicKey);
}
