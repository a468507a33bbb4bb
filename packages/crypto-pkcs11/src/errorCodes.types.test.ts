import type { SignerError } from "@kontist-auth/crypto";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { describe, expectTypeOf, it } from "vitest";
import type {
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
} from "./index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
// `isKontistAuthError(error, code)` narrows an unknown value to the class the package registered for `code`.
// (Two classes with the same members are one type to TypeScript: the runtime tests check each code.)
describe("The PKCS#11 signer's error codes (types)", () => {
  it("narrows each code to its class", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error, "PKCS11_MODULE_LOAD_FAILED"))
      expectTypeOf(error).toEqualTypeOf<Pkcs11ModuleError & { readonly code: "PKCS11_MODULE_LOAD_FAILED" }>();
    if (isKontistAuthError(error, "PKCS11_TOKEN_NOT_FOUND"))
      expectTypeOf(error).toEqualTypeOf<
        Pkcs11TokenNotFoundError & { readonly code: "PKCS11_TOKEN_NOT_FOUND" }
      >();
    if (isKontistAuthError(error, "PKCS11_LOGIN_FAILED"))
      expectTypeOf(error).toEqualTypeOf<Pkcs11LoginError & { readonly code: "PKCS11_LOGIN_FAILED" }>();
    if (isKontistAuthError(error, "PKCS11_ALREADY_LOGGED_IN"))
      expectTypeOf(error).toEqualTypeOf<
        Pkcs11AlreadyLoggedInError & { readonly code: "PKCS11_ALREADY_LOGGED_IN" }
      >();
    if (isKontistAuthError(error, "PKCS11_KEY_NOT_FOUND"))
      expectTypeOf(error).toEqualTypeOf<Pkcs11KeyNotFoundError & { readonly code: "PKCS11_KEY_NOT_FOUND" }>();
    if (isKontistAuthError(error, "PKCS11_INVALID_KEY"))
      expectTypeOf(error).toEqualTypeOf<Pkcs11InvalidKeyError & { readonly code: "PKCS11_INVALID_KEY" }>();
    if (isKontistAuthError(error, "PKCS11_KEY_EXTRACTABLE"))
      expectTypeOf(error).toEqualTypeOf<
        Pkcs11ExtractableKeyError & { readonly code: "PKCS11_KEY_EXTRACTABLE" }
      >();
    if (isKontistAuthError(error, "PKCS11_OPERATION_FAILED"))
      expectTypeOf(error).toEqualTypeOf<
        Pkcs11OperationError & { readonly code: "PKCS11_OPERATION_FAILED" }
      >();
    if (isKontistAuthError(error, "PKCS11_SIGNER_CLOSED"))
      expectTypeOf(error).toEqualTypeOf<
        Pkcs11SignerClosedError & { readonly code: "PKCS11_SIGNER_CLOSED" }
      >();
  });

  it("keeps each family under its parent class", () => {
    expectTypeOf<Pkcs11Error>().toExtend<SignerError>();
    expectTypeOf<Pkcs11ModuleError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11TokenNotFoundError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11LoginError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11AlreadyLoggedInError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11KeyNotFoundError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11InvalidKeyError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11ExtractableKeyError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11OperationError>().toExtend<Pkcs11Error>();
    expectTypeOf<Pkcs11SignerClosedError>().toExtend<Pkcs11Error>();
  });
});
