import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol/errors";

/**
 * The codes of {@link TokenStoreError}:
 * - `TOKEN_STORE_ERROR`: the storage failed (an I/O error, a full disk or quota, a broken connection, a
 *   custom store that threw); `cause` is the underlying error;
 * - `TOKEN_STORE_CORRUPT`: what the store holds is not a token store's data (not JSON, a foreign file, a
 *   format version this release cannot read, an entry that is not a token); it is never overwritten;
 * - `TOKEN_STORE_DECRYPTION_FAILED`: an encrypted file and a wrong or missing key, an altered file, or a
 *   plain file where a key was given;
 * - `TOKEN_STORE_INSECURE`: the token file or one of its lock files is readable or writable by others,
 *   owned by another user, or a symbolic link; or its directory is writable by others (see `fileStore`);
 * - `TOKEN_STORE_LOCK_TIMEOUT`: `lock()` (or a file store's write lock) was not acquired in time;
 * - `TOKEN_STORE_LOCK_LOST`: a write through a lock (`lock.set`, `lock.delete`) was refused because the
 *   lock is no longer its holder's (it lapsed, was released, or went to another holder); nothing was
 *   written.
 */
export type TokenStoreErrorCode =
  | "TOKEN_STORE_ERROR"
  | "TOKEN_STORE_CORRUPT"
  | "TOKEN_STORE_DECRYPTION_FAILED"
  | "TOKEN_STORE_INSECURE"
  | "TOKEN_STORE_LOCK_TIMEOUT"
  | "TOKEN_STORE_LOCK_LOST";

// Registers every code, so `isKontistAuthError(error, "TOKEN_STORE_LOCK_TIMEOUT")` narrows to
// `TokenStoreError`.
declare module "@kontist-auth/protocol/errors" {
  interface KontistAuthErrorCodes {
    TOKEN_STORE_ERROR: TokenStoreError;
    TOKEN_STORE_CORRUPT: TokenStoreError;
    TOKEN_STORE_DECRYPTION_FAILED: TokenStoreError;
    TOKEN_STORE_INSECURE: TokenStoreError;
    TOKEN_STORE_LOCK_TIMEOUT: TokenStoreError;
    TOKEN_STORE_LOCK_LOST: TokenStoreError;
  }
}

/**
 * A token store failed. One class for every store (memory, file, Web Storage, Redis, and the client's
 * wrapping of a custom store); `code` says what went wrong (see {@link TokenStoreErrorCode}). The message
 * never contains a token, and never the file's content or an encryption key; `cause` is only ever an I/O
 * or driver error, never a parser's (which would quote the content).
 *
 * @example
 * try {
 *   await store.get("kontist-auth:my-client");
 * } catch (error) {
 *   if (isKontistAuthError(error, "TOKEN_STORE_CORRUPT")) console.error(error.message); // says which file
 * }
 */
export class TokenStoreError extends KontistAuthError {
  declare readonly code: TokenStoreErrorCode;

  /**
   * @param code - what went wrong.
   * @param message - what, where and what to do; never a token or key.
   * @param options - `cause`: the underlying I/O or driver error, if any.
   */
  constructor(code: TokenStoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/**
 * Tells whether `value` is a {@link TokenStoreError} from any copy of the SDK (checks `code`, not
 * `instanceof`): of any `TOKEN_STORE_*` code, or of the one `code` given. For store authors and wrappers
 * of stores (from `@kontist-auth/token-store/backend`), to pass a store's own errors through unchanged;
 * application code checks one code with `isKontistAuthError(error, "TOKEN_STORE_…")`.
 *
 * @example
 * if (!isTokenStoreError(error)) throw new TokenStoreError("TOKEN_STORE_ERROR", "The store failed.", { cause: error });
 */
export function isTokenStoreError(value: unknown, code?: TokenStoreErrorCode): value is TokenStoreError {
  if (!isKontistAuthError(value)) return false;
  return code === undefined ? value.code.startsWith("TOKEN_STORE_") : value.code === code;
}

/**
 * The error of a lock that was not acquired within `timeoutMs`: a `TOKEN_STORE_LOCK_TIMEOUT`.
 *
 * @example
 * const timeoutMs = 5_000; // the lock's `timeoutMs`, waited in vain for another holder to release it
 * throw lockTimeoutError(timeoutMs);
 */
export function lockTimeoutError(timeoutMs: number): TokenStoreError {
  return new TokenStoreError(
    "TOKEN_STORE_LOCK_TIMEOUT",
    `Timed out after ${timeoutMs} ms waiting for a token store lock held by another process or caller.`,
  );
}

/**
 * The error of a write through a lock (`lock.set`, `lock.delete`) that is no longer its holder's: it
 * lapsed after its TTL, was released, or another holder took it. Nothing was written. A
 * `TOKEN_STORE_LOCK_LOST`.
 *
 * @example
 * const stillHeld = false; // e.g. the lock's entry names another holder now
 * if (!stillHeld) throw lockLostError();
 */
export function lockLostError(): TokenStoreError {
  return new TokenStoreError(
    "TOKEN_STORE_LOCK_LOST",
    "Refused to write through a token store lock that is no longer held (it lapsed after its TTL, was " +
      "released, or another holder took it): the store may hold a newer token. Read it again.",
  );
}
