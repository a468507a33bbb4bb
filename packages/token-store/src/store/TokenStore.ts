/**
 * A token as stores keep it: plain JSON-safe data. The client turns it back into a `Token`
 * (`confirmed` and the claims are read from the access token again, never stored).
 */
export interface StoredToken {
  accessToken: string;
  refreshToken?: string | undefined;
  tokenType: string;
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt?: number | undefined;
  scopes: string[];
}

/** A held lock; release it exactly once. Releasing a lock that already expired is harmless. */
export interface TokenStoreLock {
  release(): Promise<void>;
}

/** Options of {@link TokenStore.lock}. */
export interface TokenStoreLockOptions {
  /** How long the lock stays held if its holder dies without releasing it, in ms. */
  ttlMs?: number;
  /** How long to wait for the lock before giving up with a typed error, in ms. */
  timeoutMs?: number;
}

/**
 * Where the client keeps its token between runs, and (optionally) how processes sharing it agree on who
 * refreshes. All methods are async, so a store may live in a file, a browser, or a server.
 *
 * Keys are opaque strings chosen by the client (one per client id and user).
 */
export interface TokenStore {
  /** The token stored under `key`, or `undefined` when there is none. */
  get(key: string): Promise<StoredToken | undefined>;
  /** Stores `token` under `key`, replacing any earlier one. */
  set(key: string, token: StoredToken): Promise<void>;
  /** Removes the token under `key`; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Optional: an exclusive lock on `key` across every process sharing the store, held around a refresh so
   * that a fleet refreshes a token once. Resolves when the lock is held.
   */
  lock?(key: string, options?: TokenStoreLockOptions): Promise<TokenStoreLock>;
}
