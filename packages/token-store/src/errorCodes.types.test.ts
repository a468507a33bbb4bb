import { isKontistAuthError } from "@kontist-auth/protocol";
import { describe, expectTypeOf, it } from "vitest";
import type { TokenStoreError } from "./index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
// `isKontistAuthError(error, code)` narrows an unknown value to the class the package registered for `code`.
// (Two classes with the same members are one type to TypeScript: the runtime tests check each code.)
describe("The token store's error codes (types)", () => {
  it("narrows each code to its class", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error, "TOKEN_STORE_ERROR"))
      expectTypeOf(error).toEqualTypeOf<TokenStoreError & { readonly code: "TOKEN_STORE_ERROR" }>();
    if (isKontistAuthError(error, "TOKEN_STORE_CORRUPT"))
      expectTypeOf(error).toEqualTypeOf<TokenStoreError & { readonly code: "TOKEN_STORE_CORRUPT" }>();
    if (isKontistAuthError(error, "TOKEN_STORE_DECRYPTION_FAILED"))
      expectTypeOf(error).toEqualTypeOf<
        TokenStoreError & { readonly code: "TOKEN_STORE_DECRYPTION_FAILED" }
      >();
    if (isKontistAuthError(error, "TOKEN_STORE_INSECURE"))
      expectTypeOf(error).toEqualTypeOf<TokenStoreError & { readonly code: "TOKEN_STORE_INSECURE" }>();
    if (isKontistAuthError(error, "TOKEN_STORE_LOCK_TIMEOUT"))
      expectTypeOf(error).toEqualTypeOf<TokenStoreError & { readonly code: "TOKEN_STORE_LOCK_TIMEOUT" }>();
    if (isKontistAuthError(error, "TOKEN_STORE_LOCK_LOST"))
      expectTypeOf(error).toEqualTypeOf<TokenStoreError & { readonly code: "TOKEN_STORE_LOCK_LOST" }>();
  });
});
