import {
  isKontistAuthError,
  KontistAuthError,
  type KontistAuthErrorOptions,
} from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";

/** An error class whose constructor takes `(message, options)`, as every signer backend's errors do. */
export type ErrorClassUnderTest = new (
  message: string,
  options?: KontistAuthErrorOptions,
) => KontistAuthError;

/**
 * Registers a vitest `describe` block that checks each error class keeps the SDK's error contract: its
 * stable `code`, its `name`, the `cause` it was given, no `status`, recognised by `isKontistAuthError(error,
 * code)`, a log-safe `toJSON()`, and an instance of `KontistAuthError`, `Error` and of each of `parents`
 * (a backend's family, e.g. `[Pkcs11Error, SignerError]`).
 *
 * @example
 * import { Pkcs11Error, Pkcs11LoginError } from "@kontist-auth/crypto-pkcs11";
 *
 * describeErrorClasses("PKCS#11 error classes", [[Pkcs11LoginError, "PKCS11_LOGIN_FAILED"]], [Pkcs11Error, SignerError]);
 */
export function describeErrorClasses(
  title: string,
  cases: readonly (readonly [ErrorClassUnderTest, string])[],
  parents: readonly (abstract new (...args: never[]) => unknown)[] = [],
): void {
  describe(title, () => {
    it.each(cases)("%o has the stable code %s and is a KontistAuthError", (ErrorClass, code) => {
      const cause = new Error("inner");
      const error = new ErrorClass("message", { cause });
      expect(error).toBeInstanceOf(KontistAuthError);
      expect(error).toBeInstanceOf(Error);
      for (const parent of parents) expect(error).toBeInstanceOf(parent);
      expect(error.code).toBe(code);
      expect(error.name).toBe(ErrorClass.name);
      expect(error.cause).toBe(cause);
      expect(error.status).toBeUndefined();
      expect(isKontistAuthError(error, code as never)).toBe(true);
      expect(error.toJSON()).toEqual({ name: ErrorClass.name, code, message: "message" });
    });
  });
}
