import { randomBytes, verify } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { bigIntToBytes } from "../encoding/bigEndianInteger";
import { isLowS } from "../encoding/isLowS";
import { nodePublicKey } from "../testing/nodePublicKey";
import { generateSecretKey, isValidSecretKey, publicKeyFromSecretKey, signWithSecretKey } from "./secretKey";

describe("secret key helpers", () => {
  it("generateSecretKey gives a new valid 32-byte key each time", () => {
    const a = generateSecretKey();
    const b = generateSecretKey();
    expect(a).toHaveLength(32);
    expect(isValidSecretKey(a)).toBe(true);
    expect(a).not.toEqual(b);
  });

  it("isValidSecretKey accepts [1, n−1] as 32 bytes and nothing else, without throwing", () => {
    expect(isValidSecretKey(bigIntToBytes(1n, 32))).toBe(true);
    expect(isValidSecretKey(bigIntToBytes(p256Curve.n - 1n, 32))).toBe(true);
    for (const bad of [
      new Uint8Array(32),
      bigIntToBytes(p256Curve.n, 32),
      new Uint8Array(32).fill(0xff),
      new Uint8Array(31).fill(1),
      new Uint8Array(33).fill(1),
      "11".repeat(32),
      Array(32).fill(1),
      undefined,
    ]) {
      expect(isValidSecretKey(bad as Uint8Array)).toBe(false);
    }
  });

  it("publicKeyFromSecretKey is the uncompressed point 04‖X‖Y", () => {
    const secretKey = generateSecretKey();
    const point = publicKeyFromSecretKey(secretKey);
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(4);
    expect(point).toEqual(p256.getPublicKey(secretKey, false));
  });

  it("signWithSecretKey signs SHA-256(message), low-S, as r‖s that node:crypto verifies, each time", () => {
    const secretKey = generateSecretKey();
    const key = nodePublicKey(publicKeyFromSecretKey(secretKey));
    for (let i = 0; i < 50; i++) {
      const message = new Uint8Array(randomBytes(i * 7));
      const copy = Uint8Array.from(message);
      const rs = signWithSecretKey(secretKey, message);
      expect(rs).toHaveLength(64);
      expect(isLowS(rs)).toBe(true);
      expect(verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, rs)).toBe(true);
      // On Node the nonce is OpenSSL's (random); ecdsa.test.ts checks @noble's RFC 6979 determinism.
      const again = signWithSecretKey(secretKey, message);
      expect(isLowS(again)).toBe(true);
      expect(verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, again)).toBe(true);
      expect(message).toEqual(copy);
    }
  });
});
