import {
  type LockingTokenStore,
  type StoredToken,
  TokenStoreError,
  type TokenStoreLock,
  type TokenStoreLockOptions,
} from "@kontist-auth/token-store";
import {
  checkedStoredToken,
  decodeStoredToken,
  defaultLockTimeoutMs,
  defaultLockTtlMs,
  encodeStoredToken,
  lockLostError,
  resolveLockOptions,
  storedTokenFormat,
} from "@kontist-auth/token-store/backend";
import { redisFailure } from "../errors";
import { acquireRedisLock, type RedisConnection } from "../lock/acquireRedisLock";
import { redisKeyLayout } from "./redisKeyLayout";
import { isCluster, scanRedisKeys } from "./scanRedisKeys";

/** Options of {@link redisStore}; durations in milliseconds. */
export interface RedisStoreOptions {
  /**
   * Put before every Redis key this store uses; default `"kontist-auth:"`. A token lives at
   * `<prefix>token:<key>`, its refresh lock at `<prefix>lock:<key>`. With a Redis `Cluster`, a token and its
   * lock must share a hash slot (a write through the lock reads the lock and writes the token in one
   * script, which a cluster runs only on keys of one slot): with a prefix without `{`, the store wraps each
   * key in a hash tag (`<prefix>token:{<key>}`, `<prefix>lock:{<key>}`), so the tokens spread over the
   * masters; a prefix with a hash tag (`"{my-app}:"`) keeps the keys as they are, all in the tag's slot.
   */
  prefix?: string | undefined;
  /**
   * The lock's TTL when `lock()` is called without `ttlMs`: how long it lives if its holder dies without
   * releasing it. Default `defaultLockTtlMs` of `@kontist-auth/token-store` (30 000). The client passes
   * its own (three times its request `timeout`).
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

/**
 * The store {@link redisStore} returns: a `LockingTokenStore`, plus listing and deleting its tokens by key
 * (for administration: every token of a user, of a client id, or all of them).
 *
 * @example
 * import { escapeKeyPattern, redisStore } from "@kontist-auth/token-store-redis";
 * import { Redis } from "ioredis";
 *
 * const store = redisStore(new Redis("redis://127.0.0.1:6379"));
 * const userId = "42";
 * const keys = await store.keys(`kontist-auth:*:${escapeKeyPattern(userId)}`); // the user's tokens
 * const deleted = await store.deleteKeys(`kontist-auth:*:${escapeKeyPattern(userId)}`); // logs them out
 */
export interface RedisTokenStore extends LockingTokenStore {
  /**
   * The keys (as `get` takes them, without the prefix) of the tokens in this store that match `match`, a
   * Redis glob (`*`, `?`, `[abc]`, `\` escapes; default `"*"`, every key), sorted. Scans the Redis (every
   * master of a Cluster) with `SCAN`, so it never blocks the server; a key written or moved (a failover,
   * a resharding) while it runs may be missed. Put outside input through {@link escapeKeyPattern}.
   *
   * @throws {TokenStoreError} `TOKEN_STORE_ERROR` when Redis fails.
   * @throws {TypeError} when `match` is not a non-empty string.
   */
  keys(match?: string): Promise<string[]>;
  /**
   * Deletes the token of every key `keys(match)` lists, with its refresh lock (so a renewal under way
   * cannot write its token back: its write through the lock is refused). Resolves to how many tokens it
   * deleted. A client whose token was deleted finds its key empty at its next renewal, and logs out.
   *
   * @throws {TokenStoreError} `TOKEN_STORE_ERROR` when Redis fails (some tokens may be deleted by then).
   * @throws {TypeError} when `match` is not a non-empty string (`"*"` deletes every token of the store).
   */
  deleteKeys(match: string): Promise<number>;
}

/** The defaults of {@link RedisStoreOptions} (the lock's TTL and timeout come from `@kontist-auth/token-store`). */
export const redisStoreDefaults = { prefix: "kontist-auth:", pollMs: 50 } as const;

/**
 * Lua that writes the token ARGV[1] at `tokenKey` only over a value this store wrote (or none): a foreign
 * value is kept, and the script returns 0. ARGV[2] is the envelope's `format`.
 */
const writeOwnValue = (tokenKey: string) => `local found = redis.call("type", ${tokenKey})["ok"]
if found ~= "none" then
  if found ~= "string" then return 0 end
  local ok, value = pcall(cjson.decode, redis.call("get", ${tokenKey}))
  if not ok or type(value) ~= "table" or value["format"] ~= ARGV[2] then return 0 end
end
redis.call("set", ${tokenKey}, ARGV[1])
return 1`;

/**
 * Replaces only a value this store wrote (or none): a foreign value under the key is kept and reported.
 * Checking and writing in one script leaves no gap for another writer. Returns 1 when the token was
 * written, 0 when a foreign value is in the way.
 */
const setTokenScript = writeOwnValue("KEYS[1]");

/**
 * `setTokenScript` through a lock: writes only while the lock KEYS[1] still holds this holder's owner id
 * ARGV[3] (an expired lock reads as missing), then as `setTokenScript` at KEYS[2]. The check and the write
 * are one script, so no other holder can take the lock and write in between. Returns -1 when the lock is
 * not the holder's, else as `setTokenScript`.
 */
const setTokenUnderLockScript = `if redis.call("get", KEYS[1]) ~= ARGV[3] then return -1 end
${writeOwnValue("KEYS[2]")}`;

/** Deletes the token KEYS[2] only while the lock KEYS[1] holds the owner id ARGV[1]; -1 when it does not. */
const deleteTokenUnderLockScript = `if redis.call("get", KEYS[1]) ~= ARGV[1] then return -1 end
redis.call("del", KEYS[2])
return 1`;

/** The error of a `set` that found a value this store did not write under the key. */
function foreignValueError(): TokenStoreError {
  return new TokenStoreError(
    "TOKEN_STORE_CORRUPT",
    "Refused to overwrite the value in Redis: it is not a token this store wrote. Delete the key or use another prefix.",
  );
}

/**
 * A `TokenStore` in Redis (a `LockingTokenStore`: it always has `lock`), shared by every process that
 * uses the same server and `prefix`, with a refresh lock so a fleet refreshes a token once: the client
 * takes the lock, re-reads the store, and refreshes only when the stored token still needs it; the others
 * wait for the lock, then read the new token. Tokens are stored as JSON and checked on every read.
 *
 * The lock is `SET <prefix>lock:<key> <random owner> NX PX <ttl>`, released by a Lua compare-and-delete,
 * so a holder that died frees it after the TTL and a late holder never deletes its successor's lock.
 * Writes through the lock (`lock.set`, `lock.delete`) are Lua scripts that write only while the lock key
 * still holds the holder's owner id, so a holder whose lock lapsed cannot put an older token back
 * (`TOKEN_STORE_LOCK_LOST`). Waiting is polling with jitter (every `pollMs` on average) up to the timeout.
 *
 * Connection handling (reconnects, `commandTimeout`, `maxRetriesPerRequest`, a Sentinel's or a
 * Cluster's failover) is the given connection's; the store neither connects nor quits it. On a Cluster a
 * token and its lock share a hash slot (see {@link RedisStoreOptions.prefix}), so every script runs.
 *
 * @param redis an ioredis `Redis` (one server, or a Sentinel-managed primary) or `Cluster` connection.
 * @throws {TypeError} when an option is out of range, or `redis` is a `Cluster` and `prefix` holds a `{`
 *   that makes no hash tag; the store's methods throw a `TypeError` for an empty key (on a Cluster, also
 *   a key starting with `}`), or a value that is not a `StoredToken`.
 * @returns a store whose methods throw a `TokenStoreError`: `TOKEN_STORE_ERROR` when Redis fails (the
 *   cause says why, without the command's arguments), `TOKEN_STORE_CORRUPT` for a value it did not write
 *   (on `get`, and on `set`, which never overwrites one), `TOKEN_STORE_LOCK_TIMEOUT` from `lock()`, and
 *   `TOKEN_STORE_LOCK_LOST` from a write through a lock that is no longer the holder's.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 * import { redisStore } from "@kontist-auth/token-store-redis";
 * import { Redis } from "ioredis";
 *
 * const client = new Client({
 *   clientId: "my-client",
 *   clientSecret: process.env.KONTIST_CLIENT_SECRET,
 *   tokenStore: redisStore(new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379")),
 * });
 */
export function redisStore(redis: RedisConnection, options: RedisStoreOptions = {}): RedisTokenStore {
  if (typeof redis !== "object" || redis === null || typeof redis.set !== "function") {
    throw new TypeError("redisStore: redis must be an ioredis Redis or Cluster connection.");
  }
  const { prefix = redisStoreDefaults.prefix, pollMs = redisStoreDefaults.pollMs } = options;
  if (typeof prefix !== "string") throw new TypeError("redisStore: prefix must be a string.");
  const layout = redisKeyLayout(prefix, isCluster(redis));
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

  const tokenKey = layout.token;
  const lockKey = layout.lock;
  const checkMatch = (match: unknown): string => {
    if (typeof match !== "string" || match === "") {
      throw new TypeError('redisStore: match must be a non-empty glob pattern ("*" for every key).');
    }
    return match;
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
      return text === null ? undefined : decodeStoredToken(text, "value in Redis");
    },

    async set(key: string, token: StoredToken): Promise<void> {
      const text = encodeStoredToken(checkedStoredToken(key, token));
      let written: unknown;
      try {
        written = await redis.eval(setTokenScript, 1, tokenKey(key), text, storedTokenFormat);
      } catch (error) {
        throw redisFailure("write the token", error);
      }
      if (written !== 1) throw foreignValueError();
    },

    async delete(key: string): Promise<void> {
      const redisKey = tokenKey(key);
      try {
        await redis.del(redisKey);
      } catch (error) {
        throw redisFailure("delete the token", error);
      }
    },

    async keys(match = "*"): Promise<string[]> {
      const pattern = layout.tokenPattern(checkMatch(match));
      const found = new Set<string>();
      try {
        for await (const page of scanRedisKeys(redis, pattern)) {
          for (const redisKey of page) {
            const key = layout.keyOf(redisKey);
            if (key !== undefined) found.add(key);
          }
        }
      } catch (error) {
        throw redisFailure("list the tokens", error);
      }
      return [...found].sort();
    },

    async deleteKeys(match: string): Promise<number> {
      const pattern = layout.tokenPattern(checkMatch(match));
      let deleted = 0;
      try {
        for await (const page of scanRedisKeys(redis, pattern)) {
          const keys = page.map((redisKey) => layout.keyOf(redisKey)).filter((key) => key !== undefined);
          const counts = await Promise.all(
            keys.map(async (key) => {
              const [token] = await Promise.all([redis.del(tokenKey(key)), redis.del(lockKey(key))]);
              return token;
            }),
          );
          for (const count of counts) deleted += count;
        }
      } catch (error) {
        throw redisFailure("delete the tokens", error);
      }
      return deleted;
    },

    async lock(key: string, lockOptions: TokenStoreLockOptions = {}): Promise<TokenStoreLock> {
      const redisKey = lockKey(key);
      const lease = await acquireRedisLock(redis, redisKey, { ...lockDefaults(lockOptions ?? {}), pollMs });
      const keys = [redisKey, tokenKey(key)] as const;
      return {
        release: () => lease.release(),
        async set(token) {
          const text = encodeStoredToken(checkedStoredToken(key, token));
          let written: unknown;
          try {
            written = await redis.eval(
              setTokenUnderLockScript,
              2,
              ...keys,
              text,
              storedTokenFormat,
              lease.owner,
            );
          } catch (error) {
            throw redisFailure("write the token", error);
          }
          if (written === -1) throw lockLostError();
          if (written !== 1) throw foreignValueError();
        },
        async delete() {
          let deleted: unknown;
          try {
            deleted = await redis.eval(deleteTokenUnderLockScript, 2, ...keys, lease.owner);
          } catch (error) {
            throw redisFailure("delete the token", error);
          }
          if (deleted === -1) throw lockLostError();
        },
      };
    },
  };
}
