import { SignerError } from "@kontist-auth/crypto";
import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import {
  Pkcs11AlreadyLoggedInError,
  Pkcs11Error,
  Pkcs11ExtractableKeyError,
  Pkcs11InvalidKeyError,
  Pkcs11KeyNotFoundError,
  Pkcs11LoginError,
  Pkcs11ModuleError,
  Pkcs11OperationError,
  Pkcs11SignerClosedError,
  Pkcs11TokenNotFoundError,
} from "./errors";

describe("PKCS#11 error classes", () => {
  it.each([
    [Pkcs11ModuleError, "PKCS11_MODULE_LOAD_FAILED"],
    [Pkcs11TokenNotFoundError, "PKCS11_TOKEN_NOT_FOUND"],
    [Pkcs11LoginError, "PKCS11_LOGIN_FAILED"],
    [Pkcs11AlreadyLoggedInError, "PKCS11_ALREADY_LOGGED_IN"],
    [Pkcs11KeyNotFoundError, "PKCS11_KEY_NOT_FOUND"],
    [Pkcs11InvalidKeyError, "PKCS11_INVALID_KEY"],
    [Pkcs11ExtractableKeyError, "PKCS11_KEY_EXTRACTABLE"],
    [Pkcs11OperationError, "PKCS11_OPERATION_FAILED"],
    [Pkcs11SignerClosedError, "PKCS11_SIGNER_CLOSED"],
  ] as const)(
    "%o has the stable code %s and is a Pkcs11Error, a SignerError, a KontistAuthError",
    (ErrorClass, code) => {
      const cause = new Error("inner");
      const error = new ErrorClass("message", { cause });
      expect(error).toBeInstanceOf(Pkcs11Error);
      expect(error).toBeInstanceOf(SignerError);
      expect(error).toBeInstanceOf(KontistAuthError);
      expect(error.code).toBe(code);
      expect(error.name).toBe(ErrorClass.name);
      expect(error.cause).toBe(cause);
      expect(error.status).toBeUndefined();
      expect(isKontistAuthError(error, code)).toBe(true);
      expect(error.toJSON()).toEqual({ name: ErrorClass.name, code, message: "message" });
    },
  );
});
