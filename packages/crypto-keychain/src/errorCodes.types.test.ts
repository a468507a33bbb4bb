import type { SignerError } from "@kontist-auth/crypto";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { describe, expectTypeOf, it } from "vitest";
import type {
  KeychainError,
  KeychainKeyCorruptError,
  KeychainKeyDeletedError,
  KeychainUnavailableError,
} from "./index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
// `isKontistAuthError(error, code)` narrows an unknown value to the class the package registered for `code`.
// (Two classes with the same members are one type to TypeScript: the runtime tests check each code.)
describe("The keychain signer's error codes (types)", () => {
  it("narrows each code to its class", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error, "KEYCHAIN_FAILED"))
      expectTypeOf(error).toEqualTypeOf<KeychainError & { readonly code: "KEYCHAIN_FAILED" }>();
    if (isKontistAuthError(error, "KEYCHAIN_UNAVAILABLE"))
      expectTypeOf(error).toEqualTypeOf<
        KeychainUnavailableError & { readonly code: "KEYCHAIN_UNAVAILABLE" }
      >();
    if (isKontistAuthError(error, "KEYCHAIN_KEY_CORRUPT"))
      expectTypeOf(error).toEqualTypeOf<
        KeychainKeyCorruptError & { readonly code: "KEYCHAIN_KEY_CORRUPT" }
      >();
    if (isKontistAuthError(error, "KEYCHAIN_KEY_DELETED"))
      expectTypeOf(error).toEqualTypeOf<
        KeychainKeyDeletedError & { readonly code: "KEYCHAIN_KEY_DELETED" }
      >();
  });

  it("keeps each family under its parent class", () => {
    expectTypeOf<KeychainError>().toExtend<SignerError>();
    expectTypeOf<KeychainUnavailableError>().toExtend<KeychainError>();
    expectTypeOf<KeychainKeyCorruptError>().toExtend<KeychainError>();
    expectTypeOf<KeychainKeyDeletedError>().toExtend<KeychainError>();
  });
});
