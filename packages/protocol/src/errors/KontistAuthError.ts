import type { ResponseValidationError } from "./ResponseValidationError";

const brand = Symbol.for("@kontist-auth/error");

/** Options every SDK error accepts. */
export interface KontistAuthErrorOptions {
  /** The HTTP status of the response that caused the error, where there was one. */
  status?: number;
  /** The underlying error. Never a value that holds a token, password, OTP or key material. */
  cause?: unknown;
}

/**
 * The base class of every error the SDK throws. Tell errors apart by `code` (stable across versions)
 * or with {@link isKontistAuthError}, not only by `instanceof`: two copies of a package may be installed.
 *
 * Messages, `toString()` and `toJSON()` never contain a token, password, OTP or key material.
 *
 * @example
 * try {
 *   parseResponse(tokenResponseSchema, { token_type: "bearer" }, "POST /api/oauth/token response");
 * } catch (error) {
 *   if (error instanceof KontistAuthError) console.log(error.code, error.message); // INVALID_RESPONSE …
 * }
 */
export class KontistAuthError extends Error {
  /** A stable, machine-readable identifier of the kind of error, e.g. `OAUTH2_ERROR`. */
  readonly code: string;
  /** The HTTP status of the response that caused the error, where there was one. */
  readonly status: number | undefined;

  constructor(code: string, message: string, options: KontistAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status;
    Object.defineProperty(this, brand, { value: true });
  }

  /** A plain, log-safe representation: name, code, status and message; never the cause's payload. */
  toJSON(): { name: string; code: string; status?: number; message: string } {
    return {
      name: this.name,
      code: this.code,
      ...(this.status === undefined ? {} : { status: this.status }),
      message: this.message,
    };
  }
}

/**
 * Every error code of the SDK, mapped to the class that carries it. Each package adds its own codes by
 * declaration merging, so {@link isKontistAuthError} autocompletes codes and narrows to the class:
 *
 * ```ts
 * declare module "@kontist-auth/protocol/errors" {
 *   interface KontistAuthErrorCodes {
 *     PKCS11_LOGIN_FAILED: Pkcs11LoginError;
 *   }
 * }
 * ```
 *
 * The codes of a package are known to TypeScript once that package is imported anywhere in the program.
 */
export interface KontistAuthErrorCodes {
  INVALID_RESPONSE: ResponseValidationError;
}

/** A code of {@link KontistAuthErrorCodes}: one of the SDK's stable error codes. */
export type KontistAuthErrorCode = keyof KontistAuthErrorCodes;

/**
 * Tells whether `value` is an error thrown by any copy of the SDK, optionally of one `code` (and then
 * narrows it to that code's class with that `code`, e.g. `"HTTP_ERROR"` → `HttpError`). Checks a brand and the `code`, not
 * `instanceof`, so it holds across two installed copies of a package. Never throws.
 *
 * @example
 * if (isKontistAuthError(error, "INVALID_RESPONSE")) console.log(error.field);
 */
export function isKontistAuthError(value: unknown): value is KontistAuthError;
export function isKontistAuthError<Code extends KontistAuthErrorCode>(
  value: unknown,
  code: Code,
): value is KontistAuthErrorCodes[Code] & { readonly code: Code };
export function isKontistAuthError(value: unknown, code?: string): value is KontistAuthError {
  if (typeof value !== "object" || value === null || !(brand in value)) return false;
  return code === undefined || (value as { code?: unknown }).code === code;
}
