import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  isTokenStoreError,
  lockLostError,
  lockTimeoutError,
  TokenStoreError,
  type TokenStoreErrorCode,
} from "./errors";

describe("TokenStoreError", () => {
  it("is a KontistAuthError with a stable code and a log-safe JSON form", () => {
    const cause = new Error("EACCES");
    const error = new TokenStoreError("TOKEN_STORE_ERROR", "Could not write.", { cause });
    expect(error).toBeInstanceOf(KontistAuthError);
    expect(isKontistAuthError(error, "TOKEN_STORE_ERROR")).toBe(true);
    expect(error.name).toBe("TokenStoreError");
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "TokenStoreError",
      code: "TOKEN_STORE_ERROR",
      message: "Could not write.",
    });
  });

  it("is recognized by code, from any copy of the package", () => {
    const lookalike = new KontistAuthError("TOKEN_STORE_CORRUPT", "from another copy");
    expect(isTokenStoreError(lookalike)).toBe(true);
    expect(isTokenStoreError(lookalike, "TOKEN_STORE_CORRUPT")).toBe(true);
    expect(isTokenStoreError(lookalike, "TOKEN_STORE_ERROR")).toBe(false);
    expect(isTokenStoreError(new KontistAuthError("NO_TOKEN", "x"))).toBe(false);
    expect(isTokenStoreError(new Error("TOKEN_STORE_ERROR"))).toBe(false);
    expect(lockTimeoutError(250)).toMatchObject({ code: "TOKEN_STORE_LOCK_TIMEOUT", message: /250 ms/ });
    expect(isTokenStoreError(lockLostError(), "TOKEN_STORE_LOCK_LOST")).toBe(true);
  });

  it("registers its codes, so isKontistAuthError narrows to TokenStoreError", () => {
    const error: unknown = lockLostError();
    if (!isKontistAuthError(error, "TOKEN_STORE_LOCK_LOST")) throw new Error("not registered");
    expectTypeOf(error).toEqualTypeOf<TokenStoreError & { readonly code: "TOKEN_STORE_LOCK_LOST" }>();
    expectTypeOf(error.code).toEqualTypeOf<"TOKEN_STORE_LOCK_LOST">();
    expectTypeOf(error.code).toExtend<TokenStoreErrorCode>();
  });
});
