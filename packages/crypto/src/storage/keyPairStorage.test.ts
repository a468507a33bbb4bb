import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import { IndexedDbUnavailableError } from "../errors";
import { createWebCryptoSigner } from "../signer/createWebCryptoSigner";
import { deleteKeyPair } from "./deleteKeyPair";
import { loadKeyPair } from "./loadKeyPair";
import { saveKeyPair } from "./saveKeyPair";

// Node has no IndexedDB: here only the argument checks and the missing-IndexedDB error. The storage itself
// runs in a real Chromium (packages/tests/src/browser/webCrypto.test.ts).

describe("IndexedDB key pair storage without IndexedDB", () => {
  it("rejects with IndexedDbUnavailableError", async () => {
    expect(globalThis).not.toHaveProperty("indexedDB");
    const { keyPair } = await createWebCryptoSigner();
    for (const call of [saveKeyPair("device", keyPair), loadKeyPair("device"), deleteKeyPair("device")]) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IndexedDbUnavailableError);
      expect(isKontistAuthError(error, "INDEXEDDB_UNAVAILABLE")).toBe(true);
    }
  });

  it("rejects a bad id or key pair with a TypeError before touching storage", async () => {
    const { keyPair } = await createWebCryptoSigner();
    for (const id of ["", 1, undefined] as never[]) {
      await expect(saveKeyPair(id, keyPair)).rejects.toThrow(TypeError);
      await expect(loadKeyPair(id)).rejects.toThrow(TypeError);
      await expect(deleteKeyPair(id)).rejects.toThrow(TypeError);
    }
    for (const bad of [undefined, {}, { privateKey: keyPair.publicKey, publicKey: keyPair.privateKey }]) {
      await expect(saveKeyPair("device", bad as never)).rejects.toThrow(TypeError);
    }
  });
});
