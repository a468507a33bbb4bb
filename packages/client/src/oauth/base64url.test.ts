import { describe, expect, it } from "vitest";
import { base64url } from "./base64url";

describe("base64url", () => {
  it("encodes without padding, with the URL-safe alphabet (RFC 4648 §5)", () => {
    expect(base64url(new Uint8Array([]))).toBe("");
    expect(base64url(new Uint8Array([251, 255]))).toBe("-_8");
    expect(base64url(new Uint8Array([0, 0, 0]))).toBe("AAAA");
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64url(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
  });
});
