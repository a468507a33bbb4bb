import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "./hex";

describe("bytesToHex / hexToBytes", () => {
  it("round-trips every byte value, lowercase out, either case in", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const encoded = bytesToHex(all);
    expect(encoded).toBe(Buffer.from(all).toString("hex"));
    expect(hexToBytes(encoded)).toEqual(all);
    expect(hexToBytes(encoded.toUpperCase())).toEqual(all);
    expect(hexToBytes("")).toEqual(new Uint8Array(0));
  });

  it("returns undefined for odd length or non-hex characters", () => {
    for (const bad of ["0", "abc", "0g", "g0", "0x00", " 00", "00 ", "-1", "１２"]) {
      expect(hexToBytes(bad)).toBeUndefined();
    }
  });
});
