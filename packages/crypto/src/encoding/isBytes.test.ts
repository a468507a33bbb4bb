import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { isBytes } from "./isBytes";

describe("isBytes", () => {
  it("accepts Uint8Arrays, Buffers and Uint8Arrays of another realm", () => {
    expect(isBytes(new Uint8Array(2))).toBe(true);
    expect(isBytes(Buffer.from("ab"))).toBe(true);
    expect(isBytes(runInNewContext("new Uint8Array(3)"))).toBe(true);
  });

  it("rejects other views, arrays and strings", () => {
    for (const value of [
      new Uint16Array(2),
      new Uint8ClampedArray(2),
      new DataView(new ArrayBuffer(2)),
      [1, 2],
      "ab",
    ]) {
      expect(isBytes(value)).toBe(false);
    }
  });
});
