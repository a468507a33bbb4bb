import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { SignatureEncodingError } from "../errors";
import { fromDerSignatureHex } from "./fromDerSignatureHex";

const nHex = p256Curve.n.toString(16);
const nMinus1Hex = (p256Curve.n - 1n).toString(16);

function rsHex(r: bigint, s: bigint): string {
  return r.toString(16).padStart(64, "0") + s.toString(16).padStart(64, "0");
}

function decodeToHex(der: string): string {
  return Buffer.from(fromDerSignatureHex(der)).toString("hex");
}

describe("fromDerSignatureHex", () => {
  it("decodes minimal DER into 64 bytes r‖s", () => {
    expect(decodeToHex("3006020101020101")).toBe(rsHex(1n, 1n));
    expect(decodeToHex("300702017f02020080")).toBe(rsHex(0x7fn, 0x80n));
    expect(decodeToHex(`3046022100${nMinus1Hex}022100${nMinus1Hex}`)).toBe(
      rsHex(p256Curve.n - 1n, p256Curve.n - 1n),
    );
  });

  it("accepts hex of either case", () => {
    expect(decodeToHex("300A020400ABCDEF020200AB")).toBe(rsHex(0xabcdefn, 0xabn));
    expect(decodeToHex("300a020400AbCdEf020200aB")).toBe(rsHex(0xabcdefn, 0xabn));
  });

  it("keeps a high S as it is", () => {
    expect(decodeToHex(`3026020101022100${nMinus1Hex}`)).toBe(rsHex(1n, p256Curve.n - 1n));
  });

  const rejected: [rule: string, der: string, message: RegExp][] = [
    ["empty input", "", /not a SEQUENCE/],
    ["odd number of hex characters", "300602010102010", /must be hex/],
    ["non-hex characters", "30060201010201zz", /must be hex/],
    ["0x prefix", "0x3006020101020101", /must be hex/],
    ["whitespace", "3006020101 020101", /must be hex/],
    ["wrong outer tag (SET)", "3106020101020101", /not a SEQUENCE/],
    ["wrong outer tag (constructed context)", "a006020101020101", /not a SEQUENCE/],
    ["missing sequence length", "30", /truncated/],
    ["BER long-form sequence length where short form fits", "308106020101020101", /long-form/],
    ["BER long-form with two length bytes", "30820006020101020101", /long-form/],
    ["BER indefinite sequence length", "3080020101020101" + "0000", /long-form or indefinite/],
    ["sequence length longer than the input", "3007020101020101", /truncated/],
    ["sequence length shorter than the input", "3005020101020101", /trailing bytes/],
    ["trailing bytes after the sequence", "300602010102010100", /trailing bytes/],
    ["extra element inside the sequence", "3009020101020101020101", /content after r and s/],
    ["only one integer", "3003020101", /s is not an INTEGER/],
    ["r with wrong tag", "3006030101020101", /r is not an INTEGER/],
    ["s with wrong tag", "3006020101040101", /s is not an INTEGER/],
    ["BER long-form integer length", "300702810101020101", /long-form/],
    ["r of zero length", "30050200020101", /r has no content/],
    ["s of zero length", "30050201010200", /s has no content/],
    ["r longer than the sequence", "3006020201020101", /s is not an INTEGER|truncated/],
    ["s running past the end", "3006020101020201", /truncated/],
    ["negative r", "3006020181020101", /r is negative/],
    ["negative s", "30060201010201ff", /s is negative/],
    ["non-minimal leading zero in r", "300702020001020101", /r has a non-minimal leading zero/],
    ["non-minimal leading zero in s", "300702010102020001", /s has a non-minimal leading zero/],
    ["non-minimal leading zeros before a set top bit", "30080201010203000080", /non-minimal/],
    ["r of zero", "3006020100020101", /r is zero/],
    ["s of zero", "3006020101020100", /s is zero/],
    ["r equal to n", `3026022100${nHex}020101`, /r is not below/],
    ["s equal to n", `3026020101022100${nHex}`, /s is not below/],
    ["r above n", `3026022100${"ff".repeat(32)}020101`, /r is not below/],
    ["r wider than 33 bytes", `3027022201${"00".repeat(33)}020101`, /r is larger/],
  ];

  it.each(rejected)("rejects %s", (_rule, der, message) => {
    expect(() => fromDerSignatureHex(der)).toThrow(SignatureEncodingError);
    expect(() => fromDerSignatureHex(der)).toThrow(message);
  });

  it("throws TypeError for something that is not a string", () => {
    expect(() => fromDerSignatureHex(new Uint8Array(8) as never)).toThrow(TypeError);
    expect(() => fromDerSignatureHex(undefined as never)).toThrow(TypeError);
  });
});
