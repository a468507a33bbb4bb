import type { createDeviceSignature } from "../signature/createDeviceSignature";
import type { P256Signer } from "../signer/P256Signer";
import { bytesToHex } from "./hex";
import { splitRawSignature } from "./splitRawSignature";

/** The content octets of a DER INTEGER for an unsigned big-endian value (X.690 §8.3, §10). */
function derIntegerContent(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const minimal = unsigned.subarray(start);
  // A set top bit would read as negative, so a positive value gets one leading zero byte.
  if ((minimal[0] ?? 0) & 0x80) {
    const padded = new Uint8Array(minimal.length + 1);
    padded.set(minimal, 1);
    return padded;
  }
  return minimal;
}

/**
 * Encodes a raw P-256 signature `r‖s` (what WebCrypto, PKCS#11 and {@link P256Signer.sign} return) as the
 * hex of its ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3, X.690 DER), the `signature`
 * of Kontist's device endpoints. Pure and lossless: `s` is not normalised (use {@link normalizeLowS} or
 * {@link createDeviceSignature} for that), and {@link fromDerSignatureHex} returns exactly `rs`.
 *
 * @param rs - 64 bytes: `r` and `s`, 32 bytes each, big-endian.
 * @returns lowercase hex of the strict DER encoding (at most 72 bytes).
 * @throws {SignatureEncodingError} when `rs` is not 64 bytes or `r` / `s` is outside `[1, n−1]`.
 * @throws {TypeError} when `rs` is not a `Uint8Array`.
 *
 * @example
 * import { normalizeLowS } from "@kontist-auth/crypto/backend";
 *
 * const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
 * const data = new TextEncoder().encode("123456");
 * const rs = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, data));
 * const signature = toDerSignatureHex(normalizeLowS(rs)); // "3044022…" or "3045…" / "3046…"
 */
export function toDerSignatureHex(rs: Uint8Array): string {
  splitRawSignature(rs);
  const r = derIntegerContent(rs.subarray(0, 32));
  const s = derIntegerContent(rs.subarray(32, 64));
  // Each INTEGER is at most 2 + 33 bytes, so every length fits the short form (< 128).
  const bodyLength = 2 + r.length + 2 + s.length;
  const der = new Uint8Array(2 + bodyLength);
  der.set([0x30, bodyLength, 0x02, r.length], 0);
  der.set(r, 4);
  der.set([0x02, s.length], 4 + r.length);
  der.set(s, 6 + r.length);
  return bytesToHex(der);
}
