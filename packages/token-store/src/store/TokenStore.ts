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

/**
 * A held lock on one key; release it exactly once. Releasing a lock that already expired is harmless.
 *
 * Write through the lock (`set`, `delete`), not through the store, whatever was read under it: such a
 * write lands only while the lock is still this holder's. A holder that outlived its TTL (a slow refresh,
 * a stopped process) has lost the lock, maybe to another holder that has written a newer token since;
 * its write is refused with `TOKEN_STORE_LOCK_LOST` instead of putting an older token back (with rotating
 * refresh tokens, that would revoke the whole family).
 *
 * @example
 * const store = memoryStore(); // a LockingTokenStore: `lock` is optional on a TokenStore
 * const lock = await store.lock("kontist-auth:my-client", { ttlMs: 20_000 });
 * try {
 *   const stored = await store.get("kontist-auth:my-client");
 *   const renewed = { accessToken: "eyJ…", tokenType: "Bearer", scopes: stored?.scopes ?? [] }; // a refresh
 *   await lock.set(renewed); // TOKEN_STORE_LOCK_LOST if the lock lapsed meanwhile
 * } finally {
 *   await lock.release();
 * }
 */
export interface TokenStoreLock {
  /** Releases the lock; releasing twice, or after it lapsed, is harmless and frees no one else's lock. */
  release(): Promise<void>;
  /**
   * Stores `token` under the locked key, only while this lock is still held: the check and the write are
   * one atomic step against every other holder (a Lua script in Redis, the write lock of a file store).
   *
   * @throws {TokenStoreError} `TOKEN_STORE_LOCK_LOST` when the lock lapsed (its TTL passed), was released,
   *   or went to another holder: nothing was written. Otherwise as the store's `set`.
   * @throws {TypeError} when `token` is not a {@link StoredToken}.
   */
  set(token: StoredToken): Promise<void>;
  /**
   * Removes the token under the locked key, only while this lock is still held (as {@link set}).
   *
   * @throws {TokenStoreError} `TOKEN_STORE_LOCK_LOST` when the lock is no longer this holder's.
   */
  delete(): Promise<void>;
}

/** Options of {@link TokenStore.lock}; `resolveLockOptions` fills in the defaults and checks them. */
export interface TokenStoreLockOptions {
  /**
   * How long the lock stays held if its holder dies without releasing it, in ms; default
   * `defaultLockTtlMs` (30 s). A holder that takes longer may lose the lock to a waiter.
   */
  ttlMs?: number;
  /**
   * How long to wait for the lock before giving up with a `TokenStoreError` of code
   * `TOKEN_STORE_LOCK_TIMEOUT`, in ms; default `defaultLockTimeoutMs` (40 s, longer than the default TTL,
   * so a waiter outlasts a dead holder). `0` tries once.
   */
  timeoutMs?: number;
}

/**
 * Where the client keeps its token between runs, and (optionally) how processes sharing it agree on who
 * refreshes. All methods are async, so a store may live in a file, a browser, or a server.
 *
 * Keys are opaque strings chosen by the client (one per client id and user). Every failure is a
 * `TokenStoreError` (tell them apart by `code`, e.g. with `isKontistAuthError(error, code)`); no error
 * ever contains a token. Misuse of an argument (an empty key, a value that is not a
 * {@link StoredToken}) is a `TypeError`.
 *
 * Run `describeTokenStoreContract` from `@kontist-auth/token-store/testing` against a custom store; the
 * checks and helpers a store is built from are in `@kontist-auth/token-store/backend`.
 *
 * @example
 * import { memoryStore } from "@kontist-auth/token-store";
 *
 * const store: TokenStore = memoryStore();
 * await store.set("kontist-auth:my-client", { accessToken: "eyJ…", tokenType: "Bearer", scopes: ["users"] });
 * const lock = await store.lock?.("kontist-auth:my-client", { ttlMs: 20_000 }); // undefined: a store without locks
 * try {
 *   console.log(await store.get("kontist-auth:my-client"));
 * } finally {
 *   await lock?.release();
 * }
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
   * that a fleet refreshes a token once. Resolves when the lock is held; rejects with a `TokenStoreError`
   * of code `TOKEN_STORE_LOCK_TIMEOUT` after `timeoutMs`. A holder that dies keeps it at most `ttlMs`.
   * Writes made under the lock go through the lock ({@link TokenStoreLock.set}), which refuses them once
   * the lock is lost; choose `ttlMs` to cover everything done under it, store I/O included.
   */
  lock?(key: string, options?: TokenStoreLockOptions): Promise<TokenStoreLock>;
  /**
   * Optional: tells of changes to the token under `key` made elsewhere (another tab of the browser,
   * another process), so a client follows a logout or a renewal there at once instead of at its next
   * renewal. Calls `onChange`, with no arguments, after each such change: read the key again to see what
   * it holds now. It may also be called for a change made through this store, or when nothing changed.
   * `webStorageStore` has it in a browser window (the `storage` events of the other tabs).
   *
   * @returns a function that stops watching; calling it again is harmless.
   * @throws {TypeError} when `key` is empty or `onChange` is not a function.
   * @example
   * const store = webStorageStore(localStorage);
   * const stop = store.watch?.("kontist-auth:my-client", async () => {
   *   if ((await store.get("kontist-auth:my-client")) === undefined) console.log("Logged out in another tab.");
   * });
   * stop?.();
   */
  watch?(key: string, onChange: () => void): () => void;
}

/**
 * A {@link TokenStore} that always has a lock (`memoryStore`, `fileStore`, `redisStore`).
 *
 * @example
 * const store: LockingTokenStore = memoryStore();
 * const lock = await store.lock("key");
 */
export interface LockingTokenStore extends TokenStore {
  lock(key: string, options?: TokenStoreLockOptions): Promise<TokenStoreLock>;
}
