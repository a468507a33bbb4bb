import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";

// Connections and key prefixes for tests that share one Redis: every test gets its own prefix, so tests
// (and test files running in parallel) never see each other's keys.

/** An ioredis connection to `url` (default `REDIS_URL`) that fails fast instead of queueing forever. */
export function connectRedis(url = process.env.REDIS_URL, options: RedisOptions = {}): Redis {
  if (!url) throw new Error("REDIS_URL is not set: start Redis with startRedisIfNeeded() first");
  return new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, ...options });
}

/** A prefix no other test uses, e.g. `test:3f2a…:`. */
export function uniquePrefix(label = "test"): string {
  return `${label}:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (SCAN, so it is safe on a shared server). */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}
