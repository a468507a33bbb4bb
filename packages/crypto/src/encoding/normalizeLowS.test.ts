import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { SignatureEncodingError } from "../errors";
import { bigIntToBytes, bytesToBigInt } from "./bigEndianInteger";
import { isLowS } from "./isLowS";
import { normalizeLowS } from "./normalizeLowS";

function rsOf(r: bigint, s: bigint): Uint8Array {
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r, 32), 0);
  rs.set(bigIntToBytes(s, 32), 32);
  return rs;
}

describe("normalizeLowS", () => {
  it("replaces a high s by n − s and keeps r", () => {
    const r = 0x1234n;
    const high = rsOf(r, p256Curve.n - 7n);
    const low = normalizeLowS(high);
    expect(bytesToBigInt(low.subarray(0, 32))).toBe(r);
    expect(bytesToBigInt(low.subarray(32))).toBe(7n);
    expect(isLowS(low)).toBe(true);
  });

  it("maps ⌊n/2⌋ + 1 to ⌊n/2⌋ (n is odd)", () => {
    const low = normalizeLowS(rsOf(1n, p256Curve.halfN + 1n));
    expect(bytesToBigInt(low.subarray(32))).toBe(p256Curve.halfN);
  });

  it("returns a low s unchanged, as a new array, and never modifies its input", () => {
    const low = rsOf(3n, 9n);
    const result = normalizeLowS(low);
    expect(result).toEqual(low);
    expect(result).not.toBe(low);
    const high = rsOf(3n, p256Curve.n - 9n);
    const before = Uint8Array.from(high);
    normalizeLowS(high);
    expect(high).toEqual(before);
  });

  it("returns a plain Uint8Array for a Buffer", () => {
    const result = normalizeLowS(Buffer.from(rsOf(1n, p256Curve.n - 1n)));
    expect(result.constructor).toBe(Uint8Array);
    expect(bytesToBigInt(result.subarray(32))).toBe(1n);
  });

  it("throws SignatureEncodingError for a malformed raw signature", () => {
    expect(() => normalizeLowS(new Uint8Array(64))).toThrow(SignatureEncodingError);
    expect(() => normalizeLowS(rsOf(1n, p256Curve.n + 1n))).toThrow(SignatureEncodingError);
    expect(() => normalizeLowS(new Uint8Array(65))).toThrow(SignatureEncodingError);
  });
});
