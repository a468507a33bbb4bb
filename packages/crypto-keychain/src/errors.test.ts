import { SignerError } from "@kontist-auth/crypto";
import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import {
  KeychainError,
  KeychainKeyCorruptError,
  KeychainKeyDeletedError,
  KeychainUnavailableError,
} from "./errors";

describe("keychain error classes", () => {
  it.each([
    [KeychainUnavailableError, "KEYCHAIN_UNAVAILABLE"],
    [KeychainKeyCorruptError, "KEYCHAIN_KEY_CORRUPT"],
    [KeychainKeyDeletedError, "KEYCHAIN_KEY_DELETED"],
    [KeychainError, "KEYCHAIN_FAILED"],
  ] as const)("%o has the stable code %s and is a KontistAuthError", (ErrorClass, code) => {
    const cause = new Error("inner");
    const error = new ErrorClass("message", { cause });
    expect(error).toBeInstanceOf(KontistAuthError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.cause).toBe(cause);
    expect(error.status).toBeUndefined();
    expect(isKontistAuthError(error, code)).toBe(true);
    expect(error.toJSON()).toEqual({ name: ErrorClass.name, code, message: "message" });
  });
});

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
