import {
  isTokenStoreError,
  normalizeStoredToken,
  type TokenStore,
  TokenStoreError,
  type TokenStoreLock,
  type TokenStoreLockOptions,
} from "@kontist-auth/token-store";
import { fromStoredToken, toStoredToken } from "./storedToken";
import type { Token } from "./Token";

/**
 * The client's token in its {@link TokenStore}, under one key: reads it, writes changes in the order they
 * happened (one write at a time, so an older token never lands after a newer one), and locks the key.
 * Every failure is a `TokenStoreError`: the store's own, or a `TOKEN_STORE_ERROR` wrapping what a custom
 * store threw.
 *
 * @example
 * const persistence = new TokenPersistence(fileStore(path), "kontist-auth:my-client");
 * const token = await persistence.read();
 * await persistence.write(renewed);
 */
export class TokenPersistence {
  readonly #store: TokenStore;
  readonly #key: string;
  #writes: Promise<void> = Promise.resolve();

  constructor(store: TokenStore, key: string) {
    this.#store = store;
    this.#key = key;
  }

  /** Whether the store can lock the key across processes. */
  get canLock(): boolean {
    return typeof this.#store.lock === "function";
  }

  /**
   * The stored token, or `undefined`.
   *
   * @throws {TokenStoreError} when the store fails, or returns something that is not a token
   *   (`TOKEN_STORE_CORRUPT`).
   */
  async read(): Promise<Token | undefined> {
    let value: unknown;
    try {
      value = await this.#store.get(this.#key);
    } catch (error) {
      throw storeError(error, "read");
    }
    if (value === undefined || value === null) return undefined;
    const stored = normalizeStoredToken(value);
    if (stored === undefined) {
      throw new TokenStoreError(
        "TOKEN_STORE_CORRUPT",
        "The token store returned a value that is not a StoredToken for the client's key.",
      );
    }
    return fromStoredToken(stored);
  }

  /**
   * Queues writing `token` (deleting the key for `null`) after every earlier write.
   *
   * @throws {TokenStoreError} when the store fails.
   */
  write(token: Token | null): Promise<void> {
    const written = this.#writes
      .then(() =>
        token === null ? this.#store.delete(this.#key) : this.#store.set(this.#key, toStoredToken(token)),
      )
      .catch((error: unknown) => {
        throw storeError(error, token === null ? "delete" : "write");
      });
    this.#writes = written.catch(() => {});
    return written;
  }

  /** Resolves once every write queued so far has settled (failed ones included). */
  settled(): Promise<void> {
    return this.#writes;
  }

  /**
   * Locks the key across every process sharing the store.
   *
   * @throws {TokenStoreError} `TOKEN_STORE_LOCK_TIMEOUT`, or the store's failure.
   */
  async lock(options: TokenStoreLockOptions): Promise<TokenStoreLock> {
    try {
      const lock = await this.#store.lock?.(this.#key, options);
      if (lock === undefined) throw new TypeError("the token store has no lock()");
      return lock;
    } catch (error) {
      throw storeError(error, "lock");
    }
  }
}

function storeError(error: unknown, what: string): TokenStoreError {
  if (isTokenStoreError(error)) return error;
  return new TokenStoreError("TOKEN_STORE_ERROR", `The token store failed to ${what} the client's token.`, {
    cause: error,
  });
}
