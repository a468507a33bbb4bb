import { describe, expect, it } from "vitest";
import { bigIntToBytes, bytesToBigInt } from "./bigEndianInteger";

describe("bytesToBigInt / bigIntToBytes", () => {
  it("reads and writes unsigned big-endian integers", () => {
    expect(bytesToBigInt(new Uint8Array(0))).toBe(0n);
    expect(bytesToBigInt(new Uint8Array([1, 0]))).toBe(256n);
    expect(bigIntToBytes(256n, 4)).toEqual(new Uint8Array([0, 0, 1, 0]));
    const value = 2n ** 256n - 1n;
    expect(bytesToBigInt(bigIntToBytes(value, 32))).toBe(value);
  });
});
