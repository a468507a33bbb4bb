import { inspect } from "node:util";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { toDeviceKeyHex } from "../encoding/toDeviceKeyHex";
import { InvalidKeyPairError, WebCryptoUnavailableError } from "../errors";
import { createDeviceSignature } from "../signature/createDeviceSignature";
import { verifyDeviceSignature } from "../signature/verifyDeviceSignature";
import { describeSignerConformance } from "../testing";
import { createWebCryptoSigner } from "./createWebCryptoSigner";

const { subtle } = globalThis.crypto;
const ecdsaP256 = { name: "ECDSA", namedCurve: "P-256" } as const;

describeSignerConformance("WebCrypto signer (Node)", async () => ({ signer: await createWebCryptoSigner() }));

describe("createWebCryptoSigner", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("generates a non-extractable ECDSA P-256 private key with an extractable public key", async () => {
    const { keyPair } = await createWebCryptoSigner();
    expect(keyPair.privateKey.extractable).toBe(false);
    expect(keyPair.privateKey.usages).toEqual(["sign"]);
    expect(keyPair.privateKey.algorithm).toMatchObject(ecdsaP256);
    expect(keyPair.publicKey.extractable).toBe(true);
    await expect(subtle.exportKey("pkcs8", keyPair.privateKey)).rejects.toThrow();
    await expect(subtle.exportKey("jwk", keyPair.privateKey)).rejects.toThrow();
  });

  it("returns WebCrypto's raw export as the public key, a fresh copy each time", async () => {
    const signer = await createWebCryptoSigner();
    const raw = new Uint8Array(await subtle.exportKey("raw", signer.keyPair.publicKey));
    const first = await signer.getPublicKey();
    expect(first).toEqual(raw);
    first.fill(0);
    expect(await signer.getPublicKey()).toEqual(raw);
  });

  it("creates a new key each time", async () => {
    const [a, b] = await Promise.all([createWebCryptoSigner(), createWebCryptoSigner()]);
    expect(toDeviceKeyHex(await a.getPublicKey())).not.toBe(toDeviceKeyHex(await b.getPublicKey()));
  });

  it("signs with a given key pair: the same key, verified by WebCrypto itself", async () => {
    const keyPair = await subtle.generateKey(ecdsaP256, true, ["sign", "verify"]);
    const signer = await createWebCryptoSigner({ keyPair });
    expect(signer.keyPair.privateKey).toBe(keyPair.privateKey);
    expect(await signer.getPublicKey()).toEqual(
      new Uint8Array(await subtle.exportKey("raw", keyPair.publicKey)),
    );
    const message = new TextEncoder().encode("123456");
    const rs = await signer.sign(message);
    expect(
      await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, keyPair.publicKey, new Uint8Array(rs), message),
    ).toBe(true);
    const again = await createWebCryptoSigner({ keyPair: signer.keyPair });
    const key = toDeviceKeyHex(await signer.getPublicKey());
    expect(verifyDeviceSignature(key, "123456", await createDeviceSignature(again, "123456"))).toBe(true);
  });

  it("accepts a public key without the verify usage (no pairing probe possible)", async () => {
    const keyPair = await subtle.generateKey(ecdsaP256, false, ["sign", "verify"]);
    const raw = await subtle.exportKey("raw", keyPair.publicKey);
    const publicKey = await subtle.importKey("raw", raw, ecdsaP256, true, []);
    const signer = await createWebCryptoSigner({ keyPair: { privateKey: keyPair.privateKey, publicKey } });
    const key = toDeviceKeyHex(await signer.getPublicKey());
    expect(verifyDeviceSignature(key, "otp", await createDeviceSignature(signer, "otp"))).toBe(true);
  });

  it("uses the WebCrypto implementation it is given", async () => {
    const calls: string[] = [];
    const counting = {
      subtle: new Proxy(subtle, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            calls.push(String(property));
            return value.apply(target, args);
          };
        },
      }),
    };
    const signer = await createWebCryptoSigner({ crypto: counting });
    await signer.sign(new Uint8Array(3));
    expect(calls).toEqual(["generateKey", "exportKey", "sign"]);
  });

  it("throws WebCryptoUnavailableError without crypto.subtle", async () => {
    for (const crypto of [{}, { subtle: undefined }, { subtle: null }] as never[]) {
      const error = await createWebCryptoSigner({ crypto }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebCryptoUnavailableError);
      expect(isKontistAuthError(error, "WEBCRYPTO_UNAVAILABLE")).toBe(true);
    }
    vi.stubGlobal("crypto", undefined);
    await expect(createWebCryptoSigner()).rejects.toThrow(WebCryptoUnavailableError);
    await expect(createWebCryptoSigner()).rejects.toThrow(/secure context/);
  });

  it("throws InvalidKeyPairError for a key pair that is not ECDSA P-256 or not one pair", async () => {
    const ecdsa = await subtle.generateKey(ecdsaP256, false, ["sign", "verify"]);
    const other = await subtle.generateKey(ecdsaP256, false, ["sign", "verify"]);
    const p384 = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, ["sign", "verify"]);
    const ecdh = (await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, [
      "deriveBits",
    ])) as CryptoKeyPair;
    const rsa = await subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      false,
      ["sign", "verify"],
    );
    const hiddenPublic = await subtle.importKey(
      "raw",
      await subtle.exportKey("raw", ecdsa.publicKey),
      ecdsaP256,
      false,
      ["verify"],
    );
    const cannotSign = { ...ecdsa, privateKey: fakeKey("private", ecdsaP256, []) };

    const bad: [what: string, keyPair: unknown, message: RegExp][] = [
      ["not an object", "key", /CryptoKeyPair/],
      ["no keys", {}, /CryptoKeyPair/],
      ["swapped halves", { privateKey: ecdsa.publicKey, publicKey: ecdsa.privateKey }, /CryptoKeyPair/],
      ["P-384", p384, /P-256/],
      ["ECDH", ecdh, /ECDSA/],
      ["RSA", rsa, /ECDSA/],
      ["halves of two pairs", { privateKey: ecdsa.privateKey, publicKey: other.publicKey }, /halves/],
      [
        "a public key that cannot be exported",
        { privateKey: ecdsa.privateKey, publicKey: hiddenPublic },
        /raw/,
      ],
      ["a private key without the sign usage", cannotSign, /sign/],
    ];
    for (const [what, keyPair, message] of bad) {
      const error = await createWebCryptoSigner({ keyPair: keyPair as CryptoKeyPair }).catch(
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(InvalidKeyPairError);
      expect(isKontistAuthError(error, "INVALID_KEY_PAIR"), what).toBe(true);
      expect((error as Error).message, what).toMatch(message);
    }
  });

  it("is frozen and shows no key material through properties, inspection or JSON", async () => {
    const signer = await createWebCryptoSigner();
    expect(Object.keys(signer).sort()).toEqual(["getPublicKey", "keyPair", "sign"]);
    expect(Object.isFrozen(signer)).toBe(true);
    expect(Object.isFrozen(signer.keyPair)).toBe(true);
    expect(JSON.stringify(signer)).toBe('{"keyPair":{"privateKey":{},"publicKey":{}}}');
    const shown = inspect(signer, { depth: 10, showHidden: true });
    const publicHex = toDeviceKeyHex(await signer.getPublicKey());
    expect(shown).not.toContain(publicHex.slice(2, 34));
  });

  it("rejects a message that is not a Uint8Array", async () => {
    const signer = await createWebCryptoSigner();
    await expect(signer.sign("otp" as never)).rejects.toThrow(TypeError);
  });
});

/** A stand-in CryptoKey for shapes WebCrypto itself refuses to create. */
function fakeKey(type: KeyType, algorithm: EcKeyAlgorithm, usages: KeyUsage[]): CryptoKey {
  return { type, algorithm, usages, extractable: false } as CryptoKey;
}
