import { describe, expect, it } from "vitest";
import { base64, base64url } from "./base64url";

describe("base64url", () => {
  it("encodes without padding, with the URL-safe alphabet (RFC 4648 §5)", () => {
    expect(base64url(new Uint8Array([]))).toBe("");
    expect(base64url(new Uint8Array([251, 255]))).toBe("-_8");
    expect(base64url(new Uint8Array([0, 0, 0]))).toBe("AAAA");
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64url(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
  });
});

describe("base64", () => {
  it("encodes bytes with padding and the standard alphabet (RFC 4648 §4), beyond Latin-1 via UTF-8", () => {
    expect(base64(new Uint8Array([]))).toBe("");
    expect(base64(new Uint8Array([251, 255]))).toBe("+/8=");
    expect(base64(new TextEncoder().encode("ü€"))).toBe(Buffer.from("ü€", "utf8").toString("base64"));
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
  });
});
