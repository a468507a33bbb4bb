import { p256Curve } from "../curve/p256Curve";
import { bigIntToBytes } from "./bigEndianInteger";
import { splitRawSignature } from "./splitRawSignature";

/**
 * Returns the low-S form of a raw P-256 signature `r‖s`: `(r, n−s)` when `s > n/2`, else `(r, s)`.
 * Both verify for the same message and key; WebCrypto and HSMs return either, so the SDK normalises.
 *
 * @param rs - 64 bytes: `r` and `s`, 32 bytes each, big-endian.
 * @returns a new 64-byte array (the input is never modified).
 * @throws {SignatureEncodingError} when `rs` is not 64 bytes or `r` / `s` is outside `[1, n−1]`.
 * @throws {TypeError} when `rs` is not a `Uint8Array`.
 *
 * @example
 * import { isLowS } from "@kontist-auth/crypto/backend";
 *
 * const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
 * const data = new TextEncoder().encode("123456");
 * const rs = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, data));
 * isLowS(normalizeLowS(rs)); // true
 */
export function normalizeLowS(rs: Uint8Array): Uint8Array {
  const { s } = splitRawSignature(rs);
  const normalized = Uint8Array.from(rs);
  if (s > p256Curve.halfN) normalized.set(bigIntToBytes(p256Curve.n - s, 32), 32);
  return normalized;
}
