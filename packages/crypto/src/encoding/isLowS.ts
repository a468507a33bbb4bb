import { p256Curve } from "../curve/p256Curve";
import { splitRawSignature } from "./splitRawSignature";

/**
 * Tells whether a raw P-256 signature `r‖s` has a low S (`s ≤ n/2`), the one of the two equivalent
 * signatures `(r, s)` and `(r, n−s)` that the SDK's signers emit (as BIP 62 and most libraries do).
 *
 * @param rs - 64 bytes: `r` and `s`, 32 bytes each, big-endian.
 * @throws {SignatureEncodingError} when `rs` is not 64 bytes or `r` / `s` is outside `[1, n−1]`.
 * @throws {TypeError} when `rs` is not a `Uint8Array`.
 *
 * @example
 * import { fromDerSignatureHex } from "@kontist-auth/crypto/backend";
 *
 * const signatureHex = await createDeviceSignature(signer, "123456");
 * isLowS(fromDerSignatureHex(signatureHex)); // true for signatures this SDK creates
 */
export function isLowS(rs: Uint8Array): boolean {
  return splitRawSignature(rs).s <= p256Curve.halfN;
}
