/**
 * Where a client keeps its token between runs (the `tokenStore` option of {@link Client}). Every method is
 * async. The client accepts a store already and will read and write it in a later release; the adapters
 * (`memoryStore`, `fileStore`, `webStorageStore`, `redisStore`) come with `@kontist-auth/token-store`.
 *
 * @example
 * const entries = new Map<string, unknown>();
 * const store: TokenStore = {
 *   get: async (key) => entries.get(key),
 *   set: async (key, value) => void entries.set(key, value),
 *   delete: async (key) => void entries.delete(key),
 * };
 * new Client({ clientId, tokenStore: store });
 */
export interface TokenStore {
  /** The value stored under `key`, or `undefined`. */
  get(key: string): Promise<unknown>;
  /** Stores `value` under `key`. */
  set(key: string, value: unknown): Promise<void>;
  /** Removes `key`. */
  delete(key: string): Promise<void>;
}
