import { SignerError } from "@kontist-auth/crypto";
import { describeErrorClasses } from "@kontist-auth/crypto/testing";
import { describe, expect, it } from "vitest";
import {
  KeychainError,
  KeychainKeyCorruptError,
  KeychainKeyDeletedError,
  KeychainUnavailableError,
} from "./errors";

describeErrorClasses(
  "keychain error classes",
  [
    [KeychainUnavailableError, "KEYCHAIN_UNAVAILABLE"],
    [KeychainKeyCorruptError, "KEYCHAIN_KEY_CORRUPT"],
    [KeychainKeyDeletedError, "KEYCHAIN_KEY_DELETED"],
    [KeychainError, "KEYCHAIN_FAILED"],
  ],
  [SignerError],
);

describe("keychain error family", () => {
  it.each([KeychainUnavailableError, KeychainKeyCorruptError, KeychainKeyDeletedError])(
    "%o is a KeychainError and a SignerError of @kontist-auth/crypto, with its own code",
    (ErrorClass) => {
      const error = new ErrorClass("message");
      expect(error).toBeInstanceOf(KeychainError);
      expect(error).toBeInstanceOf(SignerError);
      expect(error.code).not.toBe("KEYCHAIN_FAILED");
    },
  );

  it("KeychainError itself is a SignerError with the code KEYCHAIN_FAILED", () => {
    const error = new KeychainError("message");
    expect(error).toBeInstanceOf(SignerError);
    expect(error.code).toBe("KEYCHAIN_FAILED");
  });
});
