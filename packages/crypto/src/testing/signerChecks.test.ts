import { createHash } from "node:crypto";
import { sleep } from "@kontist-auth/protocol";
import { KontistAuthError } from "@kontist-auth/protocol/errors";
import { p256 } from "@noble/curves/nist.js";
import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { bigIntToBytes, bytesToBigInt } from "../encoding/bigEndianInteger";
import { hexToBytes } from "../encoding/hex";
import { createDeviceSignature } from "../signature/createDeviceSignature";
import { createSoftwareSigner } from "../signer/createSoftwareSigner";
import type { P256Signer } from "../signer/P256Signer";
import type { SignerUnderTest } from "./SignerUnderTest";
import { type SignerCheckContext, signerChecks } from "./signerChecks";

// The kit is only worth something if it fails broken signers. Each case below breaks one rule of the
// contract and must fail the check for that rule (and the software signer must pass every check).

const { n } = p256Curve;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Textbook ECDSA with a caller-chosen nonce: what a signer with a broken RNG does. */
function signWithNonce(secretKey: Uint8Array, message: Uint8Array, k: bigint): Uint8Array {
  const z = bytesToBigInt(createHash("sha256").update(message).digest()) % n;
  const d = bytesToBigInt(secretKey);
  const r = p256.Point.BASE.multiply(k).toAffine().x % n;
  const s = (modPow(k, n - 2n, n) * (z + r * d)) % n;
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r, 32), 0);
  rs.set(bigIntToBytes(s, 32), 32);
  return rs;
}

/** A software signer with one method replaced. */
function software(override: (inner: ReturnType<typeof createSoftwareSigner>) => Partial<P256Signer>) {
  return async (): Promise<SignerUnderTest> => {
    const inner = createSoftwareSigner();
    return { signer: { getPublicKey: inner.getPublicKey, sign: inner.sign, ...override(inner) } };
  };
}

const gone = () => new KontistAuthError("KEY_NOT_FOUND", "The key was deleted.");

const broken: [flaw: string, check: string, create: () => Promise<SignerUnderTest>][] = [
  [
    "returns a compressed public key",
    "getPublicKey() resolves",
    software((inner) => ({
      getPublicKey: async () => p256.Point.fromBytes(await inner.getPublicKey()).toBytes(true),
    })),
  ],
  [
    "returns a SubjectPublicKeyInfo",
    "getPublicKey() resolves",
    software((inner) => ({
      getPublicKey: async () => {
        const header = hexToBytes("3059301306072a8648ce3d020106082a8648ce3d030107034200") as Uint8Array;
        return Uint8Array.from([...header, ...(await inner.getPublicKey())]);
      },
    })),
  ],
  [
    "returns a new key on each call",
    "getPublicKey() resolves",
    software(() => ({ getPublicKey: async () => createSoftwareSigner().getPublicKey() })),
  ],
  [
    "returns DER instead of r‖s",
    "sign() resolves to 64 bytes",
    software((inner) => ({
      sign: async (message) => p256.sign(message, inner.exportSecretKey(), { format: "der" }),
    })),
  ],
  [
    "takes a 32-byte message for a ready-made digest",
    "sign() resolves to 64 bytes",
    software((inner) => ({
      sign: async (message) =>
        message.length === 32
          ? p256.sign(message, inner.exportSecretKey(), { prehash: false, format: "compact" })
          : inner.sign(message),
    })),
  ],
  [
    "hashes twice",
    "createDeviceSignature() output verifies",
    software((inner) => ({ sign: (message) => inner.sign(createHash("sha256").update(message).digest()) })),
  ],
  [
    "reuses one nonce for every signature",
    "nonces:",
    software((inner) => ({
      sign: async (message) => signWithNonce(inner.exportSecretKey(), message, 12345n),
    })),
  ],
  [
    "fails when more than 10 signatures are in flight",
    "concurrent sign()",
    (() => {
      let inFlight = 0;
      return software((inner) => ({
        sign: async (message) => {
          if (++inFlight > 10) throw new Error("busy");
          try {
            await sleep(1);
            return await inner.sign(message);
          } finally {
            inFlight--;
          }
        },
      }));
    })(),
  ],
  [
    "signs only the first 64 KiB of a long message",
    "1 MiB",
    software((inner) => ({ sign: (message) => inner.sign(message.subarray(0, 65536)) })),
  ],
  [
    "cannot sign the empty message",
    "the empty message",
    software((inner) => ({
      sign: (message) => (message.length === 0 ? Promise.reject(new Error("empty")) : inner.sign(message)),
    })),
  ],
  [
    "zeroes the message after signing",
    "leaves the message untouched",
    software((inner) => ({
      sign: async (message) => {
        const rs = await inner.sign(message);
        message.fill(0);
        return rs;
      },
    })),
  ],
  [
    "signs the whole underlying buffer of a view",
    "leaves the message untouched",
    software((inner) => ({
      sign: (message) =>
        inner.sign(new Uint8Array(message.buffer, 0, message.byteLength + message.byteOffset)),
    })),
  ],
  [
    "has a deleteKey that deletes nothing",
    "after deleteKey()",
    async () => ({ signer: createSoftwareSigner(), deleteKey: async () => {} }),
  ],
  [
    "rejects with a plain Error after deleteKey()",
    "after deleteKey()",
    async () => {
      let deleted = false;
      const inner = createSoftwareSigner();
      return {
        signer: {
          getPublicKey: () => (deleted ? Promise.reject(new Error("gone")) : inner.getPublicKey()),
          sign: (message) => (deleted ? Promise.reject(new Error("gone")) : inner.sign(message)),
        },
        deleteKey: async () => {
          deleted = true;
        },
      };
    },
  ],
  [
    "still returns its public key after deleteKey()",
    "after deleteKey()",
    async () => {
      let deleted = false;
      const inner = createSoftwareSigner();
      return {
        signer: {
          getPublicKey: inner.getPublicKey,
          sign: (message) => (deleted ? Promise.reject(gone()) : inner.sign(message)),
        },
        deleteKey: async () => {
          deleted = true;
        },
      };
    },
  ],
];

function contextOf(create: () => Promise<SignerUnderTest>): SignerCheckContext {
  const shared = create();
  return { shared: () => shared, fresh: create, concurrency: 100 };
}

function checkNamed(fragment: string) {
  const matches = signerChecks.filter((check) => check.name.includes(fragment));
  expect(matches, `exactly one check is named like "${fragment}"`).toHaveLength(1);
  return matches[0] as (typeof signerChecks)[number];
}

describe("the conformance checks", () => {
  it.each(broken)("fail a signer that %s (check: %s)", async (_flaw, fragment, create) => {
    await expect(checkNamed(fragment).run(contextOf(create))).rejects.toThrow();
  });

  it("pass a signer whose key is deleted properly", async () => {
    let deleted = false;
    const inner = createSoftwareSigner();
    const create = async (): Promise<SignerUnderTest> => ({
      signer: {
        getPublicKey: () => (deleted ? Promise.reject(gone()) : inner.getPublicKey()),
        sign: (message) => (deleted ? Promise.reject(gone()) : inner.sign(message)),
      },
      deleteKey: async () => {
        deleted = true;
      },
    });
    await checkNamed("after deleteKey()").run(contextOf(create));
    expect(deleted).toBe(true);
  });

  it("pass a correct signer that emits high-S (createDeviceSignature normalises)", async () => {
    const create = software((inner) => ({
      sign: async (message) => {
        const rs = await inner.sign(message); // low-S; flip to n − s
        const s = n - bytesToBigInt(rs.subarray(32));
        return Uint8Array.from([...rs.subarray(0, 32), ...bigIntToBytes(s, 32)]);
      },
    }));
    const context = contextOf(create);
    for (const check of signerChecks) await check.run(context);
    const der = await createDeviceSignature((await create()).signer, "x");
    expect(der.startsWith("30")).toBe(true);
  });

  it("each have a distinct name, and the delete check runs last", () => {
    const names = signerChecks.map((check) => check.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.at(-1)).toContain("deleteKey()");
  });
});
