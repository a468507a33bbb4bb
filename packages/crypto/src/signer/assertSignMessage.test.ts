import { describe, expect, it } from "vitest";
import { assertSignMessage } from "./assertSignMessage";

describe("assertSignMessage", () => {
  it("accepts a Uint8Array or a Buffer", () => {
    expect(() => assertSignMessage(new Uint8Array(3))).not.toThrow();
    expect(() => assertSignMessage(Buffer.from("otp"))).not.toThrow();
  });

  it.each([
    ["a string", "otp"],
    ["an array", [1, 2, 3]],
    ["an ArrayBuffer", new ArrayBuffer(3)],
    ["null", null],
  ])("rejects %s with the TypeError every signer throws", (_what, message) => {
    expect(() => assertSignMessage(message)).toThrow(new TypeError("sign: message must be a Uint8Array."));
  });
});
