import { isKontistAuthError } from "@kontist-auth/protocol";
import { describe, expectTypeOf, it } from "vitest";
import type {
  IndexedDbUnavailableError,
  InvalidKeyPairError,
  InvalidPublicKeyError,
  InvalidSecretKeyError,
  KeyStorageError,
  SignatureEncodingError,
  SignerError,
  WebCryptoUnavailableError,
} from "./index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
// `isKontistAuthError(error, code)` narrows an unknown value to the class the package registered for `code`.
// (Two classes with the same members are one type to TypeScript: the runtime tests check each code.)
describe("The crypto package's error codes (types)", () => {
  it("narrows each code to its class", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error, "SIGNER_FAILED"))
      expectTypeOf(error).toEqualTypeOf<SignerError & { readonly code: "SIGNER_FAILED" }>();
    if (isKontistAuthError(error, "WEBCRYPTO_UNAVAILABLE"))
      expectTypeOf(error).toEqualTypeOf<
        WebCryptoUnavailableError & { readonly code: "WEBCRYPTO_UNAVAILABLE" }
      >();
    if (isKontistAuthError(error, "INVALID_KEY_PAIR"))
      expectTypeOf(error).toEqualTypeOf<InvalidKeyPairError & { readonly code: "INVALID_KEY_PAIR" }>();
    if (isKontistAuthError(error, "INVALID_SECRET_KEY"))
      expectTypeOf(error).toEqualTypeOf<InvalidSecretKeyError & { readonly code: "INVALID_SECRET_KEY" }>();
    if (isKontistAuthError(error, "INVALID_SIGNATURE_ENCODING"))
      expectTypeOf(error).toEqualTypeOf<
        SignatureEncodingError & { readonly code: "INVALID_SIGNATURE_ENCODING" }
      >();
    if (isKontistAuthError(error, "INVALID_PUBLIC_KEY"))
      expectTypeOf(error).toEqualTypeOf<InvalidPublicKeyError & { readonly code: "INVALID_PUBLIC_KEY" }>();
    if (isKontistAuthError(error, "KEY_STORAGE_FAILED"))
      expectTypeOf(error).toEqualTypeOf<KeyStorageError & { readonly code: "KEY_STORAGE_FAILED" }>();
    if (isKontistAuthError(error, "INDEXEDDB_UNAVAILABLE"))
      expectTypeOf(error).toEqualTypeOf<
        IndexedDbUnavailableError & { readonly code: "INDEXEDDB_UNAVAILABLE" }
      >();
  });

  it("keeps each family under its parent class", () => {
    expectTypeOf<WebCryptoUnavailableError>().toExtend<SignerError>();
    expectTypeOf<InvalidKeyPairError>().toExtend<SignerError>();
    expectTypeOf<InvalidSecretKeyError>().toExtend<SignerError>();
  });
});
