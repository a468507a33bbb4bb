import { randomUUID, verify } from "node:crypto";
import { inspect } from "node:util";
import { SignerError, toDeviceKeyHex } from "@kontist-auth/crypto";
import { isLowS } from "@kontist-auth/crypto/backend";
import { nodePublicKey } from "@kontist-auth/crypto/testing";
import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol/errors";
import { Module } from "graphene-pk11";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairWith } from "../test/generateKeyPairWith";
import { readKeyAttributes } from "../test/readKeyAttributes";
import { createSoftHsmToken, type SoftHsmToken } from "../test/softhsm";
import { createPkcs11Signer, type Pkcs11Signer } from "./createPkcs11Signer";
import {
  Pkcs11InvalidKeyError,
  Pkcs11KeyNotFoundError,
  Pkcs11LoginError,
  Pkcs11ModuleError,
  Pkcs11SignerClosedError,
  Pkcs11TokenNotFoundError,
} from "./errors";
import type { Pkcs11SignerOptions } from "./Pkcs11SignerOptions";

// Against a real SoftHSM2 token in a temp folder; no mocks, no skips (a missing SoftHSM2 fails beforeAll).

let token: SoftHsmToken;
const opened: Pkcs11Signer[] = [];
const utf8 = new TextEncoder();

beforeAll(async () => {
  token = await createSoftHsmToken();
});

// Every test starts with no signer open, so the module is initialised afresh and logins are real C_Logins.
afterEach(async () => {
  await Promise.all(opened.splice(0).map((signer) => signer.close()));
});

afterAll(async () => {
  await token?.remove();
});

const newLabel = () => `device-${randomUUID()}`;

function optionsFor(keyLabel: string, overrides: Partial<Pkcs11SignerOptions> = {}): Pkcs11SignerOptions {
  return {
    module: token.module,
    tokenLabel: token.tokenLabel,
    pin: token.pin,
    keyLabel,
    ...overrides,
  } as Pkcs11SignerOptions;
}

async function signerFor(keyLabel: string, overrides: Partial<Pkcs11SignerOptions> = {}) {
  const signer = await createPkcs11Signer(optionsFor(keyLabel, overrides));
  opened.push(signer);
  return signer;
}

/** Awaits a rejection and returns its reason. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("expected a rejection"),
    (reason: unknown) => reason,
  );
}

/** Everything a log line could show of a value. */
function shown(value: unknown): string {
  return [String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })].join("\n");
}

async function verifies(signer: Pkcs11Signer, message: Uint8Array, rs: Uint8Array): Promise<boolean> {
  const key = nodePublicKey(await signer.getPublicKey());
  return verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, rs);
}

describe("createPkcs11Signer: the key lives in the token", () => {
  it("generates a key pair, and a second signer finds it again by label: same public key", async () => {
    const keyLabel = newLabel();
    const first = await signerFor(keyLabel);
    expect(first.generated).toBe(true);
    expect(first.keyLabel).toBe(keyLabel);
    expect(first.keyId).toHaveLength(16);
    const publicKey = await first.getPublicKey();
    expect(toDeviceKeyHex(publicKey)).toMatch(/^04[0-9a-f]{128}$/);
    await first.close();

    const second = await signerFor(keyLabel);
    expect(second.generated).toBe(false);
    expect(second.keyId).toEqual(first.keyId);
    expect(await second.getPublicKey()).toEqual(publicKey);
    const message = utf8.encode("found again");
    expect(
      verify(
        "sha256",
        message,
        { key: nodePublicKey(publicKey), dsaEncoding: "ieee-p1363" },
        await second.sign(message),
      ),
    ).toBe(true);
  });

  it("two signers open at once over one label share the key; created at once, they make one key", async () => {
    const keyLabel = newLabel();
    const [a, b] = await Promise.all([signerFor(keyLabel), signerFor(keyLabel)]);
    expect([a?.generated, b?.generated].filter(Boolean)).toHaveLength(1);
    expect(await a?.getPublicKey()).toEqual(await b?.getPublicKey());
    const attributes = await readKeyAttributes({ ...token, keyLabel });
    expect(attributes.privateKeys).toBe(1);
    expect(attributes.publicKeys).toBe(1);
  });

  it("the private key reads back CKA_EXTRACTABLE = false and CKA_SENSITIVE = true (graphene, another process)", async () => {
    const keyLabel = newLabel();
    const signer = await signerFor(keyLabel);
    const attributes = await readKeyAttributes({ ...token, keyLabel });
    expect(attributes).toEqual({
      privateKeys: 1,
      publicKeys: 1,
      private: {
        token: true,
        private: true,
        sensitive: true,
        extractable: false,
        alwaysSensitive: true,
        neverExtractable: true,
        sign: true,
        keyType: 3, // CKK_EC
        value: "CKR_ATTRIBUTE_SENSITIVE", // the scalar cannot be read out
      },
      public: { token: true, verify: true, paramsEC: "06082a8648ce3d030107" },
    });
    expect(signer.generated).toBe(true);
  });

  it("finds a key by label and CKA_ID, and tells keys with one label apart by id", async () => {
    const keyLabel = newLabel();
    const one = await signerFor(keyLabel, { keyId: Uint8Array.of(1) });
    const two = await signerFor(keyLabel, { keyId: Uint8Array.of(2) });
    expect(two.generated).toBe(true);
    expect(await one.getPublicKey()).not.toEqual(await two.getPublicKey());

    const again = await signerFor(keyLabel, { keyId: Uint8Array.of(2), createIfMissing: false });
    expect(again.keyId).toEqual(Uint8Array.of(2));
    expect(await again.getPublicKey()).toEqual(await two.getPublicKey());

    const ambiguous = await rejection(signerFor(keyLabel));
    expect(ambiguous).toBeInstanceOf(Pkcs11InvalidKeyError);
    expect(isKontistAuthError(ambiguous, "PKCS11_INVALID_KEY")).toBe(true);
    expect((ambiguous as Error).message).toContain("2 private keys");
  });

  it("selects the token by slot index as well as by label", async () => {
    const keyLabel = newLabel();
    const byLabel = await signerFor(keyLabel);
    const bySlot = await signerFor(keyLabel, { tokenLabel: undefined, slot: 0 });
    expect(await bySlot.getPublicKey()).toEqual(await byLabel.getPublicKey());

    const error = await rejection(signerFor(keyLabel, { tokenLabel: undefined, slot: 99 }));
    expect(error).toBeInstanceOf(Pkcs11TokenNotFoundError);
    expect((error as Error).message).toContain("no slot 99");
  });

  it("with createIfMissing: false a missing key is a Pkcs11KeyNotFoundError, and nothing is created", async () => {
    const keyLabel = newLabel();
    const error = await rejection(signerFor(keyLabel, { createIfMissing: false }));
    expect(error).toBeInstanceOf(Pkcs11KeyNotFoundError);
    expect(isKontistAuthError(error, "PKCS11_KEY_NOT_FOUND")).toBe(true);
    expect((await readKeyAttributes({ ...token, keyLabel })).privateKeys).toBe(0);
  });
});

describe("sign", () => {
  it("signs SHA-256 of the message with CKM_ECDSA: r‖s, low-S, verified by node:crypto", async () => {
    const signer = await signerFor(newLabel());
    for (const message of [
      new Uint8Array(0),
      utf8.encode("123456"),
      utf8.encode("Grüße 🔑"),
      new Uint8Array(1 << 20),
    ]) {
      const rs = await signer.sign(message);
      expect(rs).toBeInstanceOf(Uint8Array);
      expect(rs).toHaveLength(64);
      expect(isLowS(rs)).toBe(true);
      expect(await verifies(signer, message, rs)).toBe(true);
    }
  });

  it("100 concurrent signs all verify, on one signer and across two over the same key", async () => {
    const keyLabel = newLabel();
    const [a, b] = [await signerFor(keyLabel), await signerFor(keyLabel)];
    const messages = Array.from({ length: 100 }, (_, index) => utf8.encode(`message ${index}`));
    const signatures = await Promise.all(
      messages.map((message, index) => (index % 3 === 0 ? b : a).sign(message)),
    );
    const key = nodePublicKey(await a.getPublicKey());
    const verdicts = signatures.map((rs, index) =>
      verify("sha256", messages[index] as Uint8Array, { key, dsaEncoding: "ieee-p1363" }, rs),
    );
    expect(verdicts.filter(Boolean)).toHaveLength(100);
    expect(new Set(signatures.map((rs) => Buffer.from(rs).toString("hex"))).size).toBe(100);
  });

  it("rejects a message that is not a Uint8Array with a TypeError", async () => {
    const signer = await signerFor(newLabel());
    await expect(signer.sign("123456" as unknown as Uint8Array)).rejects.toThrow(TypeError);
  });
});

describe("deleteKey and close", () => {
  it("deleteKey() destroys the key: sign and getPublicKey reject with Pkcs11KeyNotFoundError", async () => {
    const keyLabel = newLabel();
    const signer = await signerFor(keyLabel);
    const other = await signerFor(keyLabel); // another signer over the same key
    const publicKey = await signer.getPublicKey();
    await signer.sign(utf8.encode("before"));

    await signer.deleteKey();
    for (const attempt of [signer.sign(utf8.encode("after")), signer.getPublicKey()]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(Pkcs11KeyNotFoundError);
      expect(isKontistAuthError(error, "PKCS11_KEY_NOT_FOUND")).toBe(true);
    }
    await expect(signer.deleteKey()).resolves.toBeUndefined(); // idempotent

    const fromOther = await rejection(other.sign(utf8.encode("after, elsewhere")));
    expect(fromOther).toBeInstanceOf(Pkcs11KeyNotFoundError);
    await expect(other.deleteKey()).resolves.toBeUndefined(); // already gone is fine

    const attributes = await readKeyAttributes({ ...token, keyLabel });
    expect([attributes.privateKeys, attributes.publicKeys]).toEqual([0, 0]);
    const replacement = await signerFor(keyLabel);
    expect(replacement.generated).toBe(true);
    expect(await replacement.getPublicKey()).not.toEqual(publicKey);
  });

  it("deleteKey() waits for the signs already started", async () => {
    const signer = await signerFor(newLabel());
    const signs = Array.from({ length: 20 }, (_, index) => signer.sign(utf8.encode(`in flight ${index}`)));
    const deleted = signer.deleteKey();
    const later = signer.sign(utf8.encode("queued after the delete"));
    expect(await Promise.all(signs)).toHaveLength(20);
    await deleted;
    expect(await rejection(later)).toBeInstanceOf(Pkcs11KeyNotFoundError);
  });

  it("close() keeps the key; the closed signer rejects with Pkcs11SignerClosedError", async () => {
    const keyLabel = newLabel();
    const signer = await signerFor(keyLabel);
    const publicKey = await signer.getPublicKey();
    await signer.close();
    await signer.close(); // idempotent

    for (const attempt of [signer.sign(utf8.encode("closed")), signer.getPublicKey(), signer.deleteKey()]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(Pkcs11SignerClosedError);
      expect(isKontistAuthError(error, "PKCS11_SIGNER_CLOSED")).toBe(true);
    }
    const reopened = await signerFor(keyLabel, { createIfMissing: false });
    expect(await reopened.getPublicKey()).toEqual(publicKey);
  });

  it("the last signer to close finalises the module, so the next application initialises it afresh", async () => {
    const signers = [await signerFor(newLabel()), await signerFor(newLabel())];
    await Promise.all(signers.map((signer) => signer.close()));

    const module = Module.load(token.module);
    try {
      expect(() => module.lib.C_Initialize()).not.toThrow(); // not CKR_CRYPTOKI_ALREADY_INITIALIZED
      module.finalize();
    } finally {
      module.close();
    }
  });

  it("leaves a module that another part of the process initialised to it: signs on the JS thread, no C_Finalize", async () => {
    const module = Module.load(token.module);
    module.initialize();
    try {
      const signer = await signerFor(newLabel());
      const messages = Array.from({ length: 20 }, (_, index) => utf8.encode(`shared module ${index}`));
      const signatures = await Promise.all(messages.map((message) => signer.sign(message)));
      for (const [index, rs] of signatures.entries()) {
        expect(await verifies(signer, messages[index] as Uint8Array, rs)).toBe(true);
      }
      await signer.close();
      expect(() => module.lib.C_Initialize()).toThrow(/CKR_CRYPTOKI_ALREADY_INITIALIZED/);
    } finally {
      module.finalize();
      module.close();
    }
  });
});

describe("finding 20: a login the signer did not make, and keys it did not make", () => {
  const wrongPin = "wrong-pin-5e1d77";

  /** Another component of this process: it loads the module and logs the user in on its own session. */
  function anotherComponentLoggedIn() {
    const module = Module.load(token.module);
    module.initialize();
    const session = module.getSlots(0).open();
    session.login(token.pin);
    return {
      // CKS_RO_USER_FUNCTIONS (1) or CKS_RW_USER_FUNCTIONS (3).
      isLoggedIn: () => [1, 3].includes(session.lib.C_GetSessionInfo(session.handle).state),
      end() {
        try {
          session.logout();
        } catch {}
        session.close();
        module.finalize();
        module.close();
      },
    };
  }

  it("finding 20: refuses to use another component's login without shareExistingLogin, whatever the PIN", async () => {
    const other = anotherComponentLoggedIn();
    try {
      for (const pin of [wrongPin, token.pin]) {
        const error = await rejection(signerFor(newLabel(), { pin }));
        expect(isKontistAuthError(error, "PKCS11_ALREADY_LOGGED_IN")).toBe(true);
        expect(error).toBeInstanceOf(KontistAuthError);
        expect((error as Error).message).toContain("shareExistingLogin");
        expect(shown(error)).not.toContain(wrongPin);
        expect(shown(error)).not.toContain(token.pin);
      }
      expect(other.isLoggedIn()).toBe(true); // refusing left the other component's login alone
    } finally {
      other.end();
    }
  });

  it("finding 20: with shareExistingLogin: true, signs on the outside login and leaves it logged in", async () => {
    const other = anotherComponentLoggedIn();
    try {
      const signer = await signerFor(newLabel(), { shareExistingLogin: true });
      const message = utf8.encode("on a shared login");
      expect(await verifies(signer, message, await signer.sign(message))).toBe(true);
      // A second signer without the option is refused: the login is still not one it could check.
      const error = await rejection(signerFor(newLabel()));
      expect(isKontistAuthError(error, "PKCS11_ALREADY_LOGGED_IN")).toBe(true);
      await signer.close();
      expect(other.isLoggedIn()).toBe(true); // the outside login is its owner's to end
    } finally {
      other.end();
    }
  });

  it("finding 20: shareExistingLogin does not skip the PIN check when the signer logs in itself", async () => {
    const error = await rejection(signerFor(newLabel(), { pin: wrongPin, shareExistingLogin: true }));
    expect(error).toBeInstanceOf(Pkcs11LoginError);
    expect((error as Error).message).toContain("CKR_PIN_INCORRECT");
  });

  it.each([
    ["extractable", { sensitive: true, extractable: true }, "CKA_EXTRACTABLE"],
    ["not sensitive", { sensitive: false, extractable: false }, "CKA_SENSITIVE"],
    [
      "extractable once",
      { sensitive: true, extractable: true, thenMakeUnextractable: true },
      "CKA_NEVER_EXTRACTABLE",
    ],
  ])(
    "finding 20: refuses a key on the token that is %s, unless allowExtractableKeys: true",
    async (_what, attributes, named) => {
      const keyLabel = newLabel();
      await generateKeyPairWith({ ...token, keyLabel }, attributes);
      const error = await rejection(signerFor(keyLabel));
      expect(isKontistAuthError(error, "PKCS11_KEY_EXTRACTABLE")).toBe(true);
      expect(error).toBeInstanceOf(KontistAuthError);
      expect((error as Error).message).toContain(named);
      expect((error as Error).message).toContain("allowExtractableKeys");
      expect(shown(error)).not.toContain(token.pin);
      // Refused, not replaced: the key stays, and nothing new was generated next to it.
      expect((await readKeyAttributes({ ...token, keyLabel })).privateKeys).toBe(1);

      const accepted = await signerFor(keyLabel, { allowExtractableKeys: true });
      expect(accepted.generated).toBe(false);
      const message = utf8.encode("an extractable key, knowingly");
      expect(await verifies(accepted, message, await accepted.sign(message))).toBe(true);
    },
  );

  it.each([
    ["shareExistingLogin", { shareExistingLogin: "yes" }],
    ["allowExtractableKeys", { allowExtractableKeys: 1 }],
  ])("misuse of %s is a TypeError", async (_name, overrides) => {
    const error = await rejection(
      createPkcs11Signer(optionsFor("misuse", overrides as unknown as Partial<Pkcs11SignerOptions>)),
    );
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe("errors: typed, with stable codes, never the PIN", () => {
  const wrongPin = "wrong-pin-7f3a9c";

  it("a wrong PIN is a Pkcs11LoginError naming CKR_PIN_INCORRECT, without the PIN", async () => {
    const error = await rejection(signerFor(newLabel(), { pin: wrongPin }));
    expect(error).toBeInstanceOf(Pkcs11LoginError);
    expect(error).toBeInstanceOf(KontistAuthError);
    expect(isKontistAuthError(error, "PKCS11_LOGIN_FAILED")).toBe(true);
    expect((error as Error).message).toContain("CKR_PIN_INCORRECT");
    expect(shown(error)).not.toContain(wrongPin);
    expect(shown(error)).not.toContain(token.pin);

    // Nothing leaked: the right PIN works afterwards.
    await expect(signerFor(newLabel())).resolves.toBeDefined();
  });

  it("a wrong PIN while the process is logged in is refused too (C_Login would not check it)", async () => {
    await signerFor(newLabel());
    const error = await rejection(signerFor(newLabel(), { pin: wrongPin }));
    expect(error).toBeInstanceOf(Pkcs11LoginError);
    expect((error as Error).message).toContain("differs");
    expect(shown(error)).not.toContain(wrongPin);
  });

  it("an unknown token label is a Pkcs11TokenNotFoundError listing the tokens present", async () => {
    const error = await rejection(signerFor(newLabel(), { tokenLabel: "no-such-token" }));
    expect(error).toBeInstanceOf(Pkcs11TokenNotFoundError);
    expect(isKontistAuthError(error, "PKCS11_TOKEN_NOT_FOUND")).toBe(true);
    expect((error as Error).message).toContain('"no-such-token"');
    expect((error as Error).message).toContain(`"${token.tokenLabel}"`);
    expect(shown(error)).not.toContain(token.pin);
  });

  it("a module that cannot be loaded is a Pkcs11ModuleError", async () => {
    const error = await rejection(signerFor(newLabel(), { module: "/nonexistent/libpkcs11.so" }));
    expect(error).toBeInstanceOf(Pkcs11ModuleError);
    expect(isKontistAuthError(error, "PKCS11_MODULE_LOAD_FAILED")).toBe(true);
    expect((error as Error).message).toContain("/nonexistent/libpkcs11.so");
    expect(shown(error)).not.toContain(token.pin);
  });

  it("a sign failure of the token is a SignerError (SIGNER_FAILED) with the native error as cause", async () => {
    const signer = await signerFor(newLabel());
    const module = Module.load(token.module);
    try {
      // Another application in this process logs the token out (login state is per process).
      module.initialize();
      const slot = module.getSlots(0);
      const session = slot.open();
      session.logout();
      const error = await rejection(signer.sign(utf8.encode("logged out")));
      expect(error).toBeInstanceOf(SignerError);
      expect(isKontistAuthError(error, "SIGNER_FAILED")).toBe(true);
      expect((error as Error).message).toMatch(/no longer logged in \(CKR_[A-Z_]+\)/);
      expect((error as Error).cause).toBeInstanceOf(Error);
      session.close();
    } finally {
      module.close(); // not finalize: the signer's module is the same library, still in use
    }
  });

  it("the PIN is not in the signer: not in JSON, inspect or its properties", async () => {
    const signer = await signerFor("no-pin-in-this-label", { pin: token.pin }); // a UUID could hold "1234"
    expect(shown(signer)).not.toContain(token.pin);
    expect(Object.values(signer)).not.toContain(token.pin);
    expect(Object.isFrozen(signer)).toBe(true);
  });

  it.each([
    ["both tokenLabel and slot", { slot: 0 }],
    ["neither tokenLabel nor slot", { tokenLabel: undefined }],
    ["an empty keyLabel", { keyLabel: "" }],
    ["a negative slot", { tokenLabel: undefined, slot: -1 }],
    ["a keyId that is not bytes", { keyId: "01" as unknown as Uint8Array }],
    ["a PIN that is not a string", { pin: 1234 as unknown as string }],
  ])("misuse is a TypeError: %s", async (_what, overrides) => {
    const error = await rejection(
      createPkcs11Signer(optionsFor("misuse", overrides as Partial<Pkcs11SignerOptions>)),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(shown(error)).not.toContain(token.pin);
  });
});
