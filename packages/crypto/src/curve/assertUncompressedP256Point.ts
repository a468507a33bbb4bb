import { bytesToBigInt } from "../encoding/bigEndianInteger";
import { InvalidPublicKeyError } from "../errors";
import { isPointOnP256 } from "./isPointOnP256";

/**
 * Checks that `bytes` is a SEC1 uncompressed P-256 point `04‖X‖Y` (SEC 1 §2.3.3) on the curve.
 * Throws {@link InvalidPublicKeyError} naming the rule that failed, never the bytes.
 */
export function assertUncompressedP256Point(bytes: Uint8Array): void {
  if (bytes.length !== 65) {
    throw new InvalidPublicKeyError(
      `A device public key must be a 65-byte uncompressed P-256 point (04‖X‖Y), got ${bytes.length} bytes.`,
    );
  }
  if (bytes[0] !== 0x04) {
    throw new InvalidPublicKeyError(
      "A device public key must be an uncompressed point: its first byte must be 0x04.",
    );
  }
  const x = bytesToBigInt(bytes.subarray(1, 33));
  const y = bytesToBigInt(bytes.subarray(33, 65));
  if (!isPointOnP256(x, y)) {
    throw new InvalidPublicKeyError("The device public key is not a point on the P-256 curve.");
  }
}
