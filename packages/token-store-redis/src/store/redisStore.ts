import {
  checkedStoredToken,
  checkKey,
  defaultLockTimeoutMs,
  defaultLockTtlMs,
  type LockingTokenStore,
  resolveLockOptions,
  type StoredToken,
  TokenStoreError,
  type TokenStoreLock,
  type TokenStoreLockOptions,
} from "@kontist-auth/token-store";
import { redisFailure } from "../errors/redisFailure";
import { acquireRedisLock, type RedisConnection } from "../lock/acquireRedisLock";
import { decodeStoredToken, encodeStoredToken, storedTokenFormat } from "./storedTokenFormat";

/** Options of {@link redisStore}; durations in milliseconds. */
export interface RedisStoreOptions {
  /**
   * Put before every Redis key this store uses; default `"kontist-auth:"`. A token lives at
   * `<prefix>token:<key>`, its refresh lock at `<prefix>lock:<key>`.
   */
  prefix?: string | undefined;
  /**
   * The lock's TTL when `lock()` is called without `ttlMs`: how long it lives if its holder dies without
   * releasing it. Default `defaultLockTtlMs` of `@kontist-auth/token-store` (30 000). The client passes
   * its own (twice its request `timeout`).
   */
  lockTtlMs?: number | undefined;
  /**
   * How long `lock()` waits for a lock held elsewhere when called without `timeoutMs`. Default: the TTL
   * plus 10 000 (40 000 with the default TTL), so waiters outlast a dead holder.
   */
  lockTimeoutMs?: number | undefined;
  /** The mean pause between attempts to take a lock held elsewhere; default 50. */
  pollMs?: number | undefined;
}

/** The defaults of {@link RedisStoreOptions} (the lock's TTL and timeout come from `@kontist-auth/token-store`). */
export const redisStoreDefaults = { prefix: "kontist-auth:", pollMs: 50 } as const;

/**
 * Replaces only a value this store wrote (or none): a foreign value under the key is kept and reported.
 * Checking and writing in one script leaves no gap for another writer. Returns 1 when the token was
 * written, 0 when a foreign value is in the way.
 */
const setTokenScript = `local found = redis.call("type", KEYS[1])["ok"]
if found ~= "none" then
  if found ~= "string" then return 0 end
  local ok, value = pcall(cjson.decode, redis.call("get", KEYS[1]))
  if not ok or type(value) ~= "table" or value["format"] ~= ARGV[2] then return 0 end
end
redis.call("set", KEYS[1], ARGV[1])
return 1`;

/**
 * A `TokenStore` in Redis (a `LockingTokenStore`: it always has `lock`), shared by every process that
 * uses the same server and `prefix`, with a refresh lock so a fleet refreshes a token once: the client
 * takes the lock, re-reads the store, and refreshes only when the stored token still needs it; the others
 * wait for the lock, then read the new token. Tokens are stored as JSON and checked on every read.
 *
 * The lock is `SET <prefix>lock:<key> <random owner> NX PX <ttl>`, released by a Lua compare-and-delete,
 * so a holder that died frees it after the TTL and a late holder never deletes its successor's lock.
 * Waiting is polling with jitter (every `pollMs` on average) up to the timeout.
 *
 * Connection handling (reconnects, `commandTimeout`, `maxRetriesPerRequest`) is the given connection's;
 * the store neither connects nor quits it.
 *
 * @param redis an ioredis `Redis` (or `Cluster`) connection.
 * @throws {TypeError} when an option is out of range; the store's methods throw a `TypeError` for an
 *   empty key or a value that is not a `StoredToken`.
 * @returns a store whose methods throw a `TokenStoreError`: `TOKEN_STORE_ERROR` when Redis fails (the
 *   cause says why, without the command's arguments), `TOKEN_STORE_CORRUPT` for a value it did not write
 *   (on `get`, and on `set`, which never overwrites one), and `TOKEN_STORE_LOCK_TIMEOUT` from `lock()`.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 * import { redisStore } from "@kontist-auth/token-store-redis";
 * import { Redis } from "ioredis";
 *
 * const client = new Client({ clientId, clientSecret, tokenStore: redisStore(new Redis(process.env.REDIS_URL)) });
 */
export function redisStore(redis: RedisConnection, options: RedisStoreOptions = {}): LockingTokenStore {
  if (typeof redis !== "object" || redis === null || typeof redis.set !== "function") {
    throw new TypeError("redisStore: redis must be an ioredis Redis or Cluster connection.");
  }
  const { prefix = redisStoreDefaults.prefix, pollMs = redisStoreDefaults.pollMs } = options;
  if (typeof prefix !== "string") throw new TypeError("redisStore: prefix must be a string.");
  if (typeof pollMs !== "number" || !(pollMs > 0) || pollMs > 60_000) {
    throw new TypeError("redisStore: pollMs must be a positive number of milliseconds, at most 60 000.");
  }
  const lockDefaults = (lockOptions: TokenStoreLockOptions) => {
    const ttlMs = lockOptions.ttlMs ?? options.lockTtlMs ?? defaultLockTtlMs;
    const timeoutMs =
      lockOptions.timeoutMs ?? options.lockTimeoutMs ?? ttlMs + (defaultLockTimeoutMs - defaultLockTtlMs);
    return resolveLockOptions({ ttlMs, timeoutMs });
  };
  lockDefaults({}); // checks lockTtlMs and lockTimeoutMs now, not at the first refresh

  const tokenKey = (key: string) => {
    checkKey(key);
    return `${prefix}token:${key}`;
  };
  const lockKey = (key: string) => {
    checkKey(key);
    return `${prefix}lock:${key}`;
  };

  return {
    async get(key: string): Promise<StoredToken | undefined> {
      const redisKey = tokenKey(key);
      let text: string | null;
      try {
        text = await redis.get(redisKey);
      } catch (error) {
        throw redisFailure("read the token", error);
      }
      return text === null ? undefined : decodeStoredToken(text);
    },

    async set(key: string, token: StoredToken): Promise<void> {
      const text = encodeStoredToken(checkedStoredToken(key, token));
      let written: unknown;
      try {
        written = await redis.eval(setTokenScript, 1, tokenKey(key), text, storedTokenFormat);
      } catch (error) {
        throw redisFailure("write the token", error);
      }
      if (written !== 1) {
        throw new TokenStoreError(
          "TOKEN_STORE_CORRUPT",
          "Refused to overwrite the value in Redis: it is not a token this store wrote. Delete the key or use another prefix.",
        );
      }
    },

    async delete(key: string): Promise<void> {
      const redisKey = tokenKey(key);
      try {
        await redis.del(redisKey);
      } catch (error) {
        throw redisFailure("delete the token", error);
      }
    },

    async lock(key: string, lockOptions: TokenStoreLockOptions = {}): Promise<TokenStoreLock> {
      const redisKey = lockKey(key);
      return acquireRedisLock(redis, redisKey, { ...lockDefaults(lockOptions ?? {}), pollMs });
    },
  };
}
