import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { SignatureEncodingError } from "../errors";
import { bigIntToBytes } from "./bigEndianInteger";
import { isLowS } from "./isLowS";

function rsOf(r: bigint, s: bigint): Uint8Array {
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r, 32), 0);
  rs.set(bigIntToBytes(s, 32), 32);
  return rs;
}

describe("isLowS", () => {
  it("is true up to ⌊n/2⌋ and false above", () => {
    expect(p256Curve.halfN).toBe(p256Curve.n / 2n);
    expect(isLowS(rsOf(1n, 1n))).toBe(true);
    expect(isLowS(rsOf(1n, p256Curve.halfN))).toBe(true);
    expect(isLowS(rsOf(1n, p256Curve.halfN + 1n))).toBe(false);
    expect(isLowS(rsOf(1n, p256Curve.n - 1n))).toBe(false);
  });

  it("throws SignatureEncodingError for a malformed raw signature", () => {
    expect(() => isLowS(new Uint8Array(63))).toThrow(SignatureEncodingError);
    expect(() => isLowS(rsOf(1n, 0n))).toThrow(SignatureEncodingError);
    expect(() => isLowS(rsOf(1n, p256Curve.n))).toThrow(SignatureEncodingError);
  });
});
