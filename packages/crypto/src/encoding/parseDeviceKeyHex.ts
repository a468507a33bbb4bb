import { assertUncompressedP256Point } from "../curve/assertUncompressedP256Point";
import { InvalidPublicKeyError } from "../errors";
import { hexToBytes } from "./hex";

/**
 * Decodes a device public key from the wire (the inverse of {@link toDeviceKeyHex}): 130 hex characters of
 * either case encoding the SEC1 uncompressed point `04‖X‖Y`, which must lie on P-256.
 *
 * @param hex - the `key` of `POST /api/user/devices`.
 * @returns the 65-byte uncompressed point (a new array).
 * @throws {InvalidPublicKeyError} when `hex` is not hex, not 130 characters, does not start with `04`, or
 *   is not a point on P-256.
 * @throws {TypeError} when `hex` is not a string.
 *
 * @example
 * const key = toDeviceKeyHex(await signer.getPublicKey()); // the `key` a device registered with
 * const publicKey = parseDeviceKeyHex(key); // Uint8Array(65) [4, …]
 */
export function parseDeviceKeyHex(hex: string): Uint8Array {
  if (typeof hex !== "string") throw new TypeError("parseDeviceKeyHex: hex must be a string.");
  if (hex.length !== 130) {
    throw new InvalidPublicKeyError(
      `A device public key must be 130 hex characters (04‖X‖Y), got ${hex.length} characters.`,
    );
  }
  const bytes = hexToBytes(hex);
  if (bytes === undefined) {
    throw new InvalidPublicKeyError("A device public key must be hex (characters 0-9, a-f, A-F).");
  }
  assertUncompressedP256Point(bytes);
  return bytes;
}
