import { describe, expect, it } from "vitest";
import { hex, loadWycheproof } from "../../test/wycheproof";
import { p256Curve } from "../curve/p256Curve";
import { SignatureEncodingError } from "../errors";
import { bigIntToBytes } from "./bigEndianInteger";
import { fromDerSignatureHex } from "./fromDerSignatureHex";
import { toDerSignatureHex } from "./toDerSignatureHex";

const p1363 = loadWycheproof("ecdsa_secp256r1_sha256_p1363_test.json");
const validP1363 = p1363.cases.filter((c) => c.result === "valid");

function rsOf(r: bigint, s: bigint): Uint8Array {
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r, 32), 0);
  rs.set(bigIntToBytes(s, 32), 32);
  return rs;
}

describe("toDerSignatureHex", () => {
  it("round-trips every valid Wycheproof P1363 signature exactly (173)", () => {
    expect(validP1363).toHaveLength(173);
    for (const c of validP1363) {
      const rs = hex(c.sig);
      const der = toDerSignatureHex(rs);
      expect(der).toMatch(/^30[0-9a-f]+$/);
      expect(fromDerSignatureHex(der)).toEqual(rs);
    }
  });

  it("encodes minimal positive INTEGERs, adding a zero byte only before a set top bit", () => {
    expect(toDerSignatureHex(rsOf(1n, 1n))).toBe("3006020101020101");
    expect(toDerSignatureHex(rsOf(0x7fn, 0x80n))).toBe("300702017f02020080");
    expect(toDerSignatureHex(rsOf(0x0100n, 0xffn))).toBe("300802020100020200ff");
    const max = p256Curve.n - 1n;
    const maxHex = max.toString(16);
    expect(toDerSignatureHex(rsOf(max, max))).toBe(`3046022100${maxHex}022100${maxHex}`);
  });

  it("does not normalise a high S", () => {
    const highS = rsOf(5n, p256Curve.n - 1n);
    expect(fromDerSignatureHex(toDerSignatureHex(highS))).toEqual(highS);
  });

  it("returns lowercase hex", () => {
    expect(toDerSignatureHex(rsOf(0xabcdefn, 0xabn))).toBe("300a020400abcdef020200ab");
  });

  it("rejects a raw signature of the wrong length or with r, s outside [1, n−1]", () => {
    for (const bad of [new Uint8Array(0), new Uint8Array(63), new Uint8Array(65), new Uint8Array(72)]) {
      expect(() => toDerSignatureHex(bad)).toThrow(SignatureEncodingError);
    }
    expect(() => toDerSignatureHex(rsOf(0n, 1n))).toThrow(/r is outside/);
    expect(() => toDerSignatureHex(rsOf(1n, 0n))).toThrow(/s is outside/);
    expect(() => toDerSignatureHex(rsOf(p256Curve.n, 1n))).toThrow(/r is outside/);
    expect(() => toDerSignatureHex(rsOf(1n, p256Curve.n))).toThrow(/s is outside/);
    expect(() => toDerSignatureHex(new Uint8Array(64).fill(0xff))).toThrow(SignatureEncodingError);
  });

  it("throws TypeError for something that is not a Uint8Array", () => {
    expect(() => toDerSignatureHex("00".repeat(64) as never)).toThrow(TypeError);
    expect(() => toDerSignatureHex(Array(64).fill(1) as never)).toThrow(TypeError);
  });

  it("accepts a Node Buffer", () => {
    expect(toDerSignatureHex(Buffer.from(rsOf(1n, 1n)))).toBe("3006020101020101");
  });
});
