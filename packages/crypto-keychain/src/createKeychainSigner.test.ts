import { createPublicKey, randomBytes, verify } from "node:crypto";
import { inspect } from "node:util";
import {
  createDeviceSignature,
  createSoftwareSigner,
  toDeviceKeyHex,
  verifyDeviceSignature,
} from "@kontist-auth/crypto";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { p256 } from "@noble/curves/nist.js";
import { afterAll, describe, expect, it } from "vitest";
import {
  deleteTestKeys,
  newKeyLocation,
  plantStoredValue,
  readStoredBytes,
  secretServiceItems,
} from "../test/keychainStore";
import { createKeychainSigner } from "./createKeychainSigner";
import { deleteKeychainKey } from "./deleteKeychainKey";
import { KeychainKeyCorruptError, KeychainKeyDeletedError } from "./errors";

// Against a real Secret Service (the project's global setup provides one): no mocks of the store.

afterAll(deleteTestKeys);

/** A node:crypto KeyObject for a raw uncompressed P-256 point, through JWK. */
function nodePublicKey(point: Uint8Array) {
  const coordinate = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
  return createPublicKey({
    key: { kty: "EC", crv: "P-256", x: coordinate(point.subarray(1, 33)), y: coordinate(point.subarray(33)) },
    format: "jwk",
  });
}

/** The rejection of `promise`, failing the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected a rejection"),
    (reason: unknown) => reason,
  );
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("createKeychainSigner: create, load, store", () => {
  it("creates a key on first use and loads the same key in a second signer", async () => {
    const location = newKeyLocation();
    expect(await readStoredBytes(location)).toBeNull();

    const first = await createKeychainSigner(location);
    const publicKey = await first.getPublicKey();
    expect(publicKey).toHaveLength(65);
    expect(publicKey[0]).toBe(4);

    const second = await createKeychainSigner({ ...location });
    expect(hex(await second.getPublicKey())).toBe(hex(publicKey));

    // A signature of either verifies under the one public key.
    const keyHex = toDeviceKeyHex(publicKey);
    expect(verifyDeviceSignature(keyHex, "123456", await createDeviceSignature(first, "123456"))).toBe(true);
    expect(verifyDeviceSignature(keyHex, "123456", await createDeviceSignature(second, "123456"))).toBe(true);
  });

  it("stores the 32-byte private scalar of the public key, and nothing else", async () => {
    const location = newKeyLocation();
    const signer = await createKeychainSigner(location);
    const publicKey = await signer.getPublicKey();

    const stored = await readStoredBytes(location);
    expect(stored).toHaveLength(32);
    if (stored === null) return;
    expect(p256.utils.isValidSecretKey(stored)).toBe(true);
    expect(hex(p256.getPublicKey(stored, false))).toBe(hex(publicKey));
    // No public key (nor a coordinate of it) in the stored value.
    expect(hex(stored)).not.toContain(hex(publicKey.subarray(1, 33)));
    expect(hex(stored)).not.toContain(hex(publicKey.subarray(33, 65)));

    // One Secret Service item, found by its attributes by a client other than the binding (dbus-send).
    expect(secretServiceItems(location)).toHaveLength(1);
  });

  it("loads a key stored earlier by another program (a software key put there)", async () => {
    const location = newKeyLocation();
    const software = createSoftwareSigner();
    await plantStoredValue(location, software.exportSecretKey());
    const signer = await createKeychainSigner(location);
    expect(hex(await signer.getPublicKey())).toBe(hex(await software.getPublicKey()));
  });

  it("keeps keys of different accounts and services apart", async () => {
    const a = newKeyLocation("alice");
    const b = { ...a, account: "bob" };
    const c = { ...newKeyLocation("alice") };
    const keys = await Promise.all(
      [a, b, c].map(async (location) => hex(await (await createKeychainSigner(location)).getPublicKey())),
    );
    await deleteKeychainKey(b);
    expect(new Set(keys).size).toBe(3);
  });

  it("accepts any non-empty names, Unicode and spaces included", async () => {
    const location = newKeyLocation("Gerät 1 ✓");
    const signer = await createKeychainSigner(location);
    expect(signer.account).toBe("Gerät 1 ✓");
    expect(secretServiceItems(location)).toHaveLength(1);
  });

  it("signers created at the same time for one location agree on one key", async () => {
    const location = newKeyLocation();
    const signers = await Promise.all(Array.from({ length: 8 }, () => createKeychainSigner(location)));
    const keys = await Promise.all(signers.map(async (signer) => hex(await signer.getPublicKey())));
    expect(new Set(keys).size).toBe(1);
    const stored = await readStoredBytes(location);
    expect(stored && hex(p256.getPublicKey(stored, false))).toBe(keys[0]);
    for (const signer of signers) {
      expect(verifyDeviceSignature(keys[0] ?? "", "m", await createDeviceSignature(signer, "m"))).toBe(true);
    }
  });

  it("rejects options that are not non-empty strings with a TypeError", async () => {
    for (const options of [
      undefined,
      null,
      {},
      { service: "", account: "a" },
      { service: "s", account: "" },
      { service: 1, account: "a" },
      { service: "s" },
    ]) {
      await expect(createKeychainSigner(options as never)).rejects.toThrow(TypeError);
      await expect(deleteKeychainKey(options as never)).rejects.toThrow(TypeError);
    }
  });
});

describe("createKeychainSigner: signing", () => {
  it("signs; node:crypto, verifyDeviceSignature and the DER path accept it; low-S; empty to 1 MB", async () => {
    const signer = await createKeychainSigner(newKeyLocation());
    const publicKey = await signer.getPublicKey();
    const keyObject = nodePublicKey(publicKey);
    for (const message of [
      new Uint8Array(0),
      utf8("Grüße, 123456 ✓"),
      new Uint8Array(randomBytes(1 << 20)),
    ]) {
      const rs = await signer.sign(message);
      expect(rs).toHaveLength(64);
      expect(verify("sha256", message, { key: keyObject, dsaEncoding: "ieee-p1363" }, rs)).toBe(true);
      const der = await createDeviceSignature(signer, message);
      expect(verify("sha256", message, { key: keyObject, dsaEncoding: "der" }, Buffer.from(der, "hex"))).toBe(
        true,
      );
      expect(verifyDeviceSignature(toDeviceKeyHex(publicKey), message, der)).toBe(true);
      expect(p256.Signature.fromBytes(rs, "compact").hasHighS()).toBe(false);
    }
  });

  it("100 concurrent signs all verify with node:crypto", async () => {
    const signer = await createKeychainSigner(newKeyLocation());
    const keyObject = nodePublicKey(await signer.getPublicKey());
    const messages = Array.from({ length: 100 }, (_, i) =>
      utf8(`challenge ${i} ${randomBytes(8).toString("hex")}`),
    );
    const signatures = await Promise.all(messages.map((message) => signer.sign(message)));
    signatures.forEach((rs, i) => {
      expect(
        verify("sha256", messages[i] as Uint8Array, { key: keyObject, dsaEncoding: "ieee-p1363" }, rs),
      ).toBe(true);
    });
  });

  it("signs the message as it was when sign() was called, even if the caller reuses the array", async () => {
    const signer = await createKeychainSigner(newKeyLocation());
    const message = utf8("123456");
    const pending = signer.sign(message);
    message.fill(0);
    const rs = await pending;
    const keyObject = nodePublicKey(await signer.getPublicKey());
    expect(verify("sha256", utf8("123456"), { key: keyObject, dsaEncoding: "ieee-p1363" }, rs)).toBe(true);
  });

  it("getPublicKey returns a fresh copy each time", async () => {
    const signer = await createKeychainSigner(newKeyLocation());
    const first = await signer.getPublicKey();
    first.fill(0);
    expect((await signer.getPublicKey())[0]).toBe(4);
  });

  it("rejects a message that is not a Uint8Array with a TypeError", async () => {
    const signer = await createKeychainSigner(newKeyLocation());
    await expect(signer.sign("123456" as never)).rejects.toThrow(TypeError);
    await expect(signer.sign([1, 2, 3] as never)).rejects.toThrow(TypeError);
  });
});

describe("createKeychainSigner: deleteKey", () => {
  it("deletes the key; then sign and getPublicKey reject with KEYCHAIN_KEY_DELETED", async () => {
    const location = newKeyLocation();
    const signer = await createKeychainSigner(location);
    await signer.sign(utf8("before"));
    await signer.deleteKey();

    expect(await readStoredBytes(location)).toBeNull();
    expect(secretServiceItems(location)).toEqual([]);
    for (const attempt of [signer.sign(utf8("after")), signer.getPublicKey()]) {
      const error = await rejectionOf(attempt);
      expect(error).toBeInstanceOf(KeychainKeyDeletedError);
      expect(isKontistAuthError(error, "KEYCHAIN_KEY_DELETED")).toBe(true);
    }
    // Deleting again is harmless.
    await signer.deleteKey();
  });

  it("another signer of the deleted key fails on its next sign; a new signer makes a new key", async () => {
    const location = newKeyLocation();
    const signer = await createKeychainSigner(location);
    const other = await createKeychainSigner(location);
    const oldKey = hex(await signer.getPublicKey());
    await signer.deleteKey();

    const error = await rejectionOf(other.sign(utf8("after")));
    expect(isKontistAuthError(error, "KEYCHAIN_KEY_DELETED")).toBe(true);
    expect((error as Error).message).toContain("deleted");

    // createDeviceSignature wraps the rejection, the keychain error stays the cause.
    const wrapped = await rejectionOf(createDeviceSignature(other, "123456"));
    expect(isKontistAuthError(wrapped, "SIGNER_FAILED")).toBe(true);
    expect(isKontistAuthError((wrapped as Error).cause, "KEYCHAIN_KEY_DELETED")).toBe(true);

    const renewed = await createKeychainSigner(location);
    expect(hex(await renewed.getPublicKey())).not.toBe(oldKey);
    // The old signer never signs with the new key.
    expect(isKontistAuthError(await rejectionOf(other.sign(utf8("x"))), "KEYCHAIN_KEY_DELETED")).toBe(true);
  });

  it("deleteKeychainKey deletes by service and account without a signer", async () => {
    const location = newKeyLocation();
    const signer = await createKeychainSigner(location);
    expect(await deleteKeychainKey(location)).toBe(true);
    expect(await deleteKeychainKey(location)).toBe(false);
    expect(secretServiceItems(location)).toEqual([]);
    expect(isKontistAuthError(await rejectionOf(signer.sign(utf8("x"))), "KEYCHAIN_KEY_DELETED")).toBe(true);
  });
});

describe("createKeychainSigner: a stored value that is not a key", () => {
  const n = p256.Point.CURVE().n;
  const scalar = (value: bigint) => Uint8Array.from(Buffer.from(value.toString(16).padStart(64, "0"), "hex"));

  it.each([
    ["31 bytes", new Uint8Array(randomBytes(31)), "31 bytes"],
    ["33 bytes", new Uint8Array(randomBytes(33)), "33 bytes"],
    ["a public key (65 bytes)", p256.getPublicKey(p256.utils.randomSecretKey(), false), "65 bytes"],
    ["zero", new Uint8Array(32), "[1, n−1]"],
    ["the group order n", scalar(n), "[1, n−1]"],
    ["n + 1", scalar(n + 1n), "[1, n−1]"],
    ["all 0xff", new Uint8Array(32).fill(0xff), "[1, n−1]"],
    ["an empty value", new Uint8Array(0), "0 bytes"],
  ])(
    "%s: createKeychainSigner rejects with KEYCHAIN_KEY_CORRUPT and leaves it",
    async (_name, value, says) => {
      const location = newKeyLocation();
      const planted = _name === "a 65-byte public key" ? await createSoftwareSigner().getPublicKey() : value;
      await plantStoredValue(location, planted);

      const error = await rejectionOf(createKeychainSigner(location));
      expect(error).toBeInstanceOf(KeychainKeyCorruptError);
      expect(isKontistAuthError(error, "KEYCHAIN_KEY_CORRUPT")).toBe(true);
      expect((error as Error).message).toContain(says);
      // Never overwritten: it may be someone else's data.
      expect(hex((await readStoredBytes(location)) ?? new Uint8Array())).toBe(hex(planted));
      // Never in the message, the JSON or the inspect output.
      for (const text of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 5 })]) {
        if (planted.length > 0) {
          expect(text).not.toContain(hex(planted));
          expect(text).not.toContain(Buffer.from(planted).toString("base64"));
        }
      }
    },
  );

  it("a password a person typed there (text): KEYCHAIN_KEY_CORRUPT, without the text", async () => {
    const location = newKeyLocation();
    await plantStoredValue(location, "hunter2-my-password");
    const error = await rejectionOf(createKeychainSigner(location));
    expect(isKontistAuthError(error, "KEYCHAIN_KEY_CORRUPT")).toBe(true);
    expect(inspect(error, { depth: 5 })).not.toContain("hunter2");
  });

  it("corrupted after the signer loaded it: sign rejects with KEYCHAIN_KEY_CORRUPT", async () => {
    const location = newKeyLocation();
    const signer = await createKeychainSigner(location);
    await plantStoredValue(location, new Uint8Array(31).fill(7));
    expect(isKontistAuthError(await rejectionOf(signer.sign(utf8("x"))), "KEYCHAIN_KEY_CORRUPT")).toBe(true);
  });

  it("replaced by a different valid key: sign rejects with KEYCHAIN_KEY_DELETED, never signs with it", async () => {
    const location = newKeyLocation();
    const signer = await createKeychainSigner(location);
    await plantStoredValue(location, createSoftwareSigner().exportSecretKey());
    const error = await rejectionOf(signer.sign(utf8("x")));
    expect(isKontistAuthError(error, "KEYCHAIN_KEY_DELETED")).toBe(true);
    expect((error as Error).message).toContain("replaced");
  });

  it("deleteKeychainKey clears a corrupt value so the location can be used again", async () => {
    const location = newKeyLocation();
    await plantStoredValue(location, new Uint8Array(3));
    await expect(createKeychainSigner(location)).rejects.toThrow(KeychainKeyCorruptError);
    expect(await deleteKeychainKey(location)).toBe(true);
    const signer = await createKeychainSigner(location);
    expect(await readStoredBytes(location)).toHaveLength(32);
    expect(await signer.sign(utf8("x"))).toHaveLength(64);
  });
});

describe("createKeychainSigner: nothing secret leaks", () => {
  it("logging, JSON and inspect of the signer show service and account only", async () => {
    const location = newKeyLocation();
    const signer = await createKeychainSigner(location);
    const stored = (await readStoredBytes(location)) ?? new Uint8Array();
    expect(JSON.parse(JSON.stringify(signer))).toEqual(location);
    const shown = `${inspect(signer, { depth: 10, showHidden: true })} ${String(signer)}`;
    expect(shown).not.toContain(hex(stored));
    expect(shown).not.toContain(Buffer.from(stored).toString("base64"));
    expect(Object.isFrozen(signer)).toBe(true);
  });
});
