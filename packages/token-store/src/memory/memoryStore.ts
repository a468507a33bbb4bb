import { lockLostError } from "../errors";
import { checkedStoredToken, checkKey, normalizeStoredToken } from "../store/storedToken";
import type { LockingTokenStore } from "../store/TokenStore";
import { InProcessLocks } from "./InProcessLocks";

/**
 * A token store in this process's memory, with an in-process lock: for tests and short scripts. Nothing
 * survives the process, and nothing is shared with other processes (use `fileStore` or `redisStore`).
 * Values are copied in and out, so changing a token you passed or got does not change the store.
 *
 * @throws {TypeError} from `set` for an empty key or a value that is not a `StoredToken`.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 * import { memoryStore } from "@kontist-auth/token-store";
 *
 * const client = new Client({
 *   clientId: "my-client",
 *   clientSecret: process.env.KONTIST_CLIENT_SECRET,
 *   tokenStore: memoryStore(),
 * });
 */
export function memoryStore(): LockingTokenStore {
  const tokens = new Map<string, ReturnType<typeof checkedStoredToken>>();
  const locks = new InProcessLocks();
  return {
    async get(key) {
      checkKey(key);
      return normalizeStoredToken(tokens.get(key));
    },
    async set(key, token) {
      tokens.set(key, checkedStoredToken(key, token));
    },
    async delete(key) {
      checkKey(key);
      tokens.delete(key);
    },
    async lock(key, options) {
      checkKey(key);
      const lease = await locks.acquire(key, options);
      // Checking the lease and writing happen in one synchronous step: no other holder can come between.
      return {
        release: () => lease.release(),
        async set(token) {
          const copy = checkedStoredToken(key, token);
          if (!lease.isHeld()) throw lockLostError();
          tokens.set(key, copy);
        },
        async delete() {
          if (!lease.isHeld()) throw lockLostError();
          tokens.delete(key);
        },
      };
    },
  };
}
