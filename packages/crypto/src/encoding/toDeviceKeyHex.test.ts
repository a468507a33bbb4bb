import { p256 } from "@noble/curves/nist.js";
import { describe, expect, it } from "vitest";
import { hex, loadWycheproof } from "../../test/wycheproof";
import { InvalidPublicKeyError } from "../errors";
import { toDeviceKeyHex } from "./toDeviceKeyHex";

const publicKeys = [
  ...new Set(loadWycheproof("ecdsa_secp256r1_sha256_test.json").cases.map((c) => c.publicKey)),
];

describe("toDeviceKeyHex", () => {
  it("returns the 130 lowercase hex characters of every Wycheproof public key", () => {
    expect(publicKeys.length).toBeGreaterThan(50);
    for (const key of publicKeys) {
      const encoded = toDeviceKeyHex(hex(key));
      expect(encoded).toBe(key.toLowerCase());
      expect(encoded).toMatch(/^04[0-9a-f]{128}$/);
    }
  });

  it("encodes noble's uncompressed public keys", () => {
    const { publicKey } = p256.keygen();
    const uncompressed = p256.Point.fromBytes(publicKey).toBytes(false);
    expect(toDeviceKeyHex(uncompressed)).toBe(Buffer.from(uncompressed).toString("hex"));
  });

  it("rejects the wrong length", () => {
    const valid = hex(publicKeys[0] ?? "");
    expect(() => toDeviceKeyHex(valid.subarray(0, 64))).toThrow(/65-byte/);
    expect(() => toDeviceKeyHex(new Uint8Array([...valid, 0]))).toThrow(/65-byte/);
    expect(() => toDeviceKeyHex(new Uint8Array(0))).toThrow(InvalidPublicKeyError);
  });

  it("rejects a compressed point and any prefix other than 0x04", () => {
    const { publicKey: compressed } = p256.keygen(); // 33 bytes, 02/03 prefix
    expect(() => toDeviceKeyHex(compressed)).toThrow(InvalidPublicKeyError);
    const valid = hex(publicKeys[0] ?? "");
    for (const prefix of [0x00, 0x02, 0x03, 0x05, 0x06, 0x07]) {
      const wrong = Uint8Array.from(valid);
      wrong[0] = prefix;
      expect(() => toDeviceKeyHex(wrong)).toThrow(/first byte must be 0x04/);
    }
  });

  it("rejects a point off the curve, coordinates ≥ p and the all-zero 'point at infinity'", () => {
    const offCurve = hex(publicKeys[0] ?? "");
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    expect(() => toDeviceKeyHex(offCurve)).toThrow(/not a point on the P-256 curve/);
    expect(() => toDeviceKeyHex(new Uint8Array([4, ...new Uint8Array(64)]))).toThrow(InvalidPublicKeyError);
    expect(() => toDeviceKeyHex(new Uint8Array([4, ...new Uint8Array(64).fill(0xff)]))).toThrow(
      InvalidPublicKeyError,
    );
  });

  it("throws TypeError for something that is not a Uint8Array", () => {
    expect(() => toDeviceKeyHex(publicKeys[0] as never)).toThrow(TypeError);
  });
});
