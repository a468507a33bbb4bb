import { p256Curve } from "../curve/p256Curve";
import { SignatureEncodingError } from "../errors";
import { bytesToBigInt } from "./bigEndianInteger";
import { isBytes } from "./isBytes";

/**
 * Reads a raw P-256 signature `r‖s` (IEEE P1363: two 32-byte big-endian integers) and checks that
 * `r` and `s` lie in `[1, n−1]`. Throws {@link SignatureEncodingError} otherwise, `TypeError` for a
 * value that is not a `Uint8Array`.
 */
export function splitRawSignature(rs: Uint8Array): { r: bigint; s: bigint } {
  if (!isBytes(rs)) throw new TypeError("A raw signature must be a Uint8Array (r‖s, 64 bytes).");
  if (rs.length !== 64) {
    throw new SignatureEncodingError(`A raw P-256 signature must be 64 bytes (r‖s), got ${rs.length} bytes.`);
  }
  const r = bytesToBigInt(rs.subarray(0, 32));
  const s = bytesToBigInt(rs.subarray(32, 64));
  if (r === 0n || r >= p256Curve.n) {
    throw new SignatureEncodingError("The signature's r is outside [1, n−1] of the P-256 group order.");
  }
  if (s === 0n || s >= p256Curve.n) {
    throw new SignatureEncodingError("The signature's s is outside [1, n−1] of the P-256 group order.");
  }
  return { r, s };
}
