/**
 * Escapes `text` for a Redis glob (`SCAN … MATCH`, `KEYS`, and the `match` of `redisStore`'s `keys` and
 * `deleteKeys`), so that it matches itself only: `*`, `?`, `[`, `]` and `\` get a backslash. Use it on
 * anything that comes from outside (a user id) before putting it into a pattern: unescaped, a user id `*`
 * would match every key. https://redis.io/docs/latest/commands/keys/
 *
 * @example
 * import { escapeKeyPattern, redisStore } from "@kontist-auth/token-store-redis";
 * import { Redis } from "ioredis";
 *
 * const store = redisStore(new Redis("redis://127.0.0.1:6379"));
 * const userId = "user*1";
 * escapeKeyPattern(userId); // "user\\*1"
 * await store.deleteKeys(`kontist-auth:*:${escapeKeyPattern(userId)}`); // that user's tokens, not every "user…1"
 */
export function escapeKeyPattern(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
