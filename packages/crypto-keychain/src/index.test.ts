import { describe, expect, it } from "vitest";
import * as keychain from "./index";

describe("@kontist-auth/crypto-keychain", () => {
  // Adding or removing a public export must be a deliberate change to this list.
  it("exports exactly its public API", () => {
    expect(Object.keys(keychain).sort()).toEqual([
      "KeychainError",
      "KeychainKeyCorruptError",
      "KeychainKeyDeletedError",
      "KeychainUnavailableError",
      "createKeychainSigner",
      "deleteKeychainKey",
    ]);
  });
});
