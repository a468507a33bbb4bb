import { checkKey } from "@kontist-auth/token-store/backend";
import { escapeKeyPattern } from "./escapeKeyPattern";

/**
 * Where a store's data lives in Redis: the token of a key at `<prefix>token:<key>`, its refresh lock at
 * `<prefix>lock:<key>`. On a Redis Cluster, a script may only touch keys of one hash slot, and a write
 * through the lock reads the lock and writes the token in one script; so both must share a slot. Either
 * the prefix holds a hash tag (`"{my-app}:"`: every key of the store hashes to that tag's slot), or the
 * store key is wrapped in one (`<prefix>token:{<key>}`, `<prefix>lock:{<key>}`: each token and its lock
 * share a slot, and the tokens spread over the cluster's masters).
 * https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags
 */
export interface RedisKeyLayout {
  /** The Redis key of the token stored under `key`. */
  token(key: string): string;
  /** The Redis key of the refresh lock of `key` (in the token's hash slot). */
  lock(key: string): string;
  /** The `SCAN … MATCH` pattern of the token keys whose store key matches the glob `match`. */
  tokenPattern(match: string): string;
  /** The store key a token key found with {@link RedisKeyLayout.tokenPattern} belongs to. */
  keyOf(tokenKey: string): string | undefined;
}

/**
 * The key layout of a store with `prefix`: with `cluster` and a prefix without a hash tag, every key in its
 * own tag; otherwise as given (one Redis, or a prefix whose tag puts the whole store in one slot).
 *
 * @throws {TypeError} with `cluster`, for a prefix with a `{` that makes no hash tag (`"app{:"`, `"{}:"`):
 *   a token and its lock would hash to different slots.
 */
export function redisKeyLayout(prefix: string, cluster: boolean): RedisKeyLayout {
  if (cluster && prefix.includes("{") && !hasHashTag(prefix)) {
    throw new TypeError(
      'redisStore: with a Redis Cluster, a prefix with "{" must hold a hash tag, e.g. "{my-app}:" (or no "{" ' +
        "at all: then each key gets its own tag), so that a token and its lock share a slot.",
    );
  }
  const tagged = cluster && !hasHashTag(prefix);
  const wrap = (key: string) => {
    checkKey(key);
    if (!tagged) return key;
    // "{}" is no hash tag: a key starting with "}" would leave the token and its lock in different slots.
    if (key.startsWith("}")) {
      throw new TypeError('redisStore: with a Redis Cluster, a key must not start with "}".');
    }
    return `{${key}}`;
  };
  const tokenStart = `${prefix}token:`;
  return {
    token: (key) => `${tokenStart}${wrap(key)}`,
    lock: (key) => `${prefix}lock:${wrap(key)}`,
    tokenPattern: (match) => `${escapeKeyPattern(tokenStart)}${tagged ? `{${match}}` : match}`,
    keyOf(tokenKey) {
      if (!tokenKey.startsWith(tokenStart)) return undefined;
      const rest = tokenKey.slice(tokenStart.length);
      const key = tagged && rest.startsWith("{") && rest.endsWith("}") ? rest.slice(1, -1) : rest;
      // Only what `token(key)` gives back: no empty key, and on a cluster only a wrapped one.
      if (key === "" || (tagged && (key === rest || key.startsWith("}")))) return undefined;
      return key;
    },
  };
}

/**
 * Whether `prefix` holds a Redis Cluster hash tag: a `{`, then a `}` with at least one character between
 * (only the first `{` and the first `}` after it count). Every key under such a prefix hashes to the tag's
 * slot, whatever follows.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf("{");
  return open !== -1 && prefix.indexOf("}", open) > open + 1;
}
