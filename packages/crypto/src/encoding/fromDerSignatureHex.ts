import { p256Curve } from "../curve/p256Curve";
import { SignatureEncodingError } from "../errors";
import { bigIntToBytes, bytesToBigInt } from "./bigEndianInteger";
import { hexToBytes } from "./hex";

const SEQUENCE = 0x30;
const INTEGER = 0x02;

/** Reads a DER length at `at`; P-256 contents never exceed 70 bytes, so only the short form is minimal. */
function readLength(der: Uint8Array, at: number): number {
  const byte = der[at];
  if (byte === undefined) throw new SignatureEncodingError("The DER signature is truncated.");
  if (byte & 0x80) {
    throw new SignatureEncodingError(
      "The DER signature uses a long-form or indefinite length where the short form fits.",
    );
  }
  return byte;
}

/** Reads a DER INTEGER at `at` that must be a scalar in [1, n−1]; returns it and the offset after it. */
function readScalar(der: Uint8Array, at: number, name: "r" | "s"): { value: bigint; next: number } {
  if (der[at] !== INTEGER) {
    throw new SignatureEncodingError(`The DER signature's ${name} is not an INTEGER (tag 0x02).`);
  }
  const length = readLength(der, at + 1);
  const start = at + 2;
  const end = start + length;
  if (length === 0) throw new SignatureEncodingError(`The DER signature's ${name} has no content octets.`);
  if (end > der.length) throw new SignatureEncodingError("The DER signature is truncated.");
  const first = der[start] ?? 0;
  if (first & 0x80) throw new SignatureEncodingError(`The DER signature's ${name} is negative.`);
  if (first === 0 && length > 1 && ((der[start + 1] ?? 0) & 0x80) === 0) {
    throw new SignatureEncodingError(`The DER signature's ${name} has a non-minimal leading zero byte.`);
  }
  if (length > 33) {
    throw new SignatureEncodingError(`The DER signature's ${name} is larger than the P-256 group order.`);
  }
  const value = bytesToBigInt(der.subarray(start, end));
  if (value === 0n) throw new SignatureEncodingError(`The DER signature's ${name} is zero.`);
  if (value >= p256Curve.n) {
    throw new SignatureEncodingError(`The DER signature's ${name} is not below the P-256 group order.`);
  }
  return { value, next: end };
}

/**
 * Decodes the `signature` of Kontist's device endpoints, the hex of an ASN.1 DER
 * `SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3), into the raw 64-byte `r‖s` (IEEE P1363).
 * Strict DER (X.690 §10): BER long-form or indefinite lengths, trailing bytes, wrong tags or lengths,
 * negative, zero or non-minimally encoded integers, and `r` or `s` ≥ n are all rejected. High-S is
 * accepted and kept as it is. Hex of either case is accepted.
 *
 * @param hex - the hex of the DER signature.
 * @returns 64 bytes: `r` and `s`, 32 bytes each, big-endian.
 * @throws {SignatureEncodingError} naming the rule that failed (never the signature).
 * @throws {TypeError} when `hex` is not a string.
 *
 * @example
 * import { isLowS } from "@kontist-auth/crypto/backend";
 *
 * const rs = fromDerSignatureHex(await createDeviceSignature(signer, "123456")); // Uint8Array(64)
 * isLowS(rs); // true for signatures this SDK creates
 */
export function fromDerSignatureHex(hex: string): Uint8Array {
  if (typeof hex !== "string") throw new TypeError("fromDerSignatureHex: hex must be a string.");
  const der = hexToBytes(hex);
  if (der === undefined) {
    throw new SignatureEncodingError(
      "The DER signature must be hex: an even number of characters 0-9, a-f, A-F.",
    );
  }
  if (der[0] !== SEQUENCE)
    throw new SignatureEncodingError("The DER signature is not a SEQUENCE (tag 0x30).");
  const length = readLength(der, 1);
  if (2 + length > der.length) throw new SignatureEncodingError("The DER signature is truncated.");
  if (2 + length < der.length) {
    throw new SignatureEncodingError("The DER signature has trailing bytes after its SEQUENCE.");
  }
  const r = readScalar(der, 2, "r");
  const s = readScalar(der, r.next, "s");
  if (s.next !== der.length) {
    throw new SignatureEncodingError("The DER signature's SEQUENCE has content after r and s.");
  }
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r.value, 32), 0);
  rs.set(bigIntToBytes(s.value, 32), 32);
  return rs;
}
