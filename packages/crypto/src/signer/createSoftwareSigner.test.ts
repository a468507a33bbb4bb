import { createPublicKey, randomBytes, randomInt, verify } from "node:crypto";
import { inspect } from "node:util";
import { p256 } from "@noble/curves/nist.js";
import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { bigIntToBytes } from "../encoding/bigEndianInteger";
import { fromDerSignatureHex } from "../encoding/fromDerSignatureHex";
import { isLowS } from "../encoding/isLowS";
import { toDerSignatureHex } from "../encoding/toDerSignatureHex";
import { toDeviceKeyHex } from "../encoding/toDeviceKeyHex";
import { InvalidSecretKeyError } from "../errors";
import { createDeviceSignature } from "../signature/createDeviceSignature";
import { verifyDeviceSignature } from "../signature/verifyDeviceSignature";
import { createSoftwareSigner } from "./createSoftwareSigner";

/** A node:crypto KeyObject for a raw uncompressed P-256 point, through JWK. */
function nodePublicKey(point: Uint8Array) {
  const coordinate = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
  return createPublicKey({
    key: { kty: "EC", crv: "P-256", x: coordinate(point.subarray(1, 33)), y: coordinate(point.subarray(33)) },
    format: "jwk",
  });
}

describe("createSoftwareSigner", () => {
  it("signs 1,000 random messages; node:crypto and verifyDeviceSignature accept all, all are low-S", async () => {
    const signer = createSoftwareSigner();
    const publicKey = await signer.getPublicKey();
    const keyObject = nodePublicKey(publicKey);
    const keyHex = toDeviceKeyHex(publicKey);
    let verified = 0;
    for (let i = 0; i < 1000; i++) {
      const message = new Uint8Array(randomBytes(randomInt(0, 1025)));
      const rs = await signer.sign(message);
      expect(rs).toHaveLength(64);
      expect(isLowS(rs)).toBe(true);
      const der = toDerSignatureHex(rs);
      expect(verify("sha256", message, { key: keyObject, dsaEncoding: "der" }, Buffer.from(der, "hex"))).toBe(
        true,
      );
      expect(verify("sha256", message, { key: keyObject, dsaEncoding: "ieee-p1363" }, rs)).toBe(true);
      expect(verifyDeviceSignature(keyHex, message, der)).toBe(true);
      verified++;
    }
    expect(verified).toBe(1000);
  });

  it("returns a 65-byte uncompressed public key, the same each time, as a fresh copy", async () => {
    const signer = createSoftwareSigner();
    const first = await signer.getPublicKey();
    expect(first).toHaveLength(65);
    expect(first[0]).toBe(4);
    first.fill(0);
    expect((await signer.getPublicKey())[0]).toBe(4);
  });

  it("creates a different random key each time", async () => {
    const a = createSoftwareSigner().exportSecretKey();
    const b = createSoftwareSigner().exportSecretKey();
    expect(a).toHaveLength(32);
    expect(a).not.toEqual(b);
  });

  it("uses a given secret key, copied both ways", async () => {
    const secretKey = p256.utils.randomSecretKey();
    const given = Uint8Array.from(secretKey);
    const signer = createSoftwareSigner({ secretKey: given });
    given.fill(1);
    const exported = signer.exportSecretKey();
    expect(exported).toEqual(secretKey);
    exported.fill(2);
    expect(signer.exportSecretKey()).toEqual(secretKey);
    expect(await signer.getPublicKey()).toEqual(p256.getPublicKey(secretKey, false));
  });

  it("round-trips through exportSecretKey: a restored signer's signatures verify under the original key", async () => {
    const original = createSoftwareSigner();
    const restored = createSoftwareSigner({ secretKey: original.exportSecretKey() });
    const key = toDeviceKeyHex(await original.getPublicKey());
    expect(verifyDeviceSignature(key, "123456", await createDeviceSignature(restored, "123456"))).toBe(true);
  });

  it("accepts the extreme valid scalars 1 and n − 1", async () => {
    for (const scalar of [1n, p256Curve.n - 1n]) {
      const signer = createSoftwareSigner({ secretKey: bigIntToBytes(scalar, 32) });
      const key = toDeviceKeyHex(await signer.getPublicKey());
      const der = await createDeviceSignature(signer, "edge");
      expect(verifyDeviceSignature(key, "edge", der)).toBe(true);
      expect(isLowS(fromDerSignatureHex(der))).toBe(true);
    }
  });

  it("rejects a secret key of the wrong length, zero, n or above, or of the wrong type", () => {
    const bad: unknown[] = [
      new Uint8Array(31),
      new Uint8Array(33),
      new Uint8Array(0),
      new Uint8Array(32),
      bigIntToBytes(p256Curve.n, 32),
      bigIntToBytes(p256Curve.n + 1n, 32),
      new Uint8Array(32).fill(0xff),
      "11".repeat(32),
      Array(32).fill(1),
    ];
    for (const secretKey of bad) {
      expect(() => createSoftwareSigner({ secretKey: secretKey as Uint8Array })).toThrow(
        InvalidSecretKeyError,
      );
    }
    try {
      createSoftwareSigner({ secretKey: new Uint8Array(31) });
    } catch (error) {
      expect((error as InvalidSecretKeyError).code).toBe("INVALID_SECRET_KEY");
    }
  });

  it("never exposes the secret key through properties, inspection or JSON", () => {
    const signer = createSoftwareSigner();
    const secretHex = Buffer.from(signer.exportSecretKey()).toString("hex");
    expect(Object.keys(signer).sort()).toEqual(["exportSecretKey", "getPublicKey", "sign"]);
    expect(JSON.stringify(signer)).toBe("{}");
    const shown = inspect(signer, { depth: 10, showHidden: true, getters: true });
    expect(shown).not.toContain(secretHex);
    expect(shown).not.toContain(Buffer.from(signer.exportSecretKey()).toString("base64"));
    expect(shown).not.toContain("Uint8Array");
    for (const value of Object.values(signer)) expect(typeof value).toBe("function");
    expect(Object.isFrozen(signer)).toBe(true);
  });

  it("rejects a message that is not a Uint8Array", async () => {
    await expect(createSoftwareSigner().sign("otp" as never)).rejects.toThrow(TypeError);
  });
});
