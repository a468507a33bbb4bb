import type { Cluster, Redis } from "ioredis";
import type { RedisConnection } from "../lock/acquireRedisLock";

/** Whether `redis` is an ioredis `Cluster` (which has no `SCAN` of its own: each master holds a part). */
export function isCluster(redis: RedisConnection): redis is Cluster {
  return redis.isCluster === true;
}

/**
 * The keys matching the glob `pattern`, a `SCAN` page at a time, on one Redis or on every master of a
 * Cluster (each master holds the keys of its slots). `SCAN` may yield a key twice, and misses keys moved
 * while it runs (a resharding, a failover): it is for administration, not for the refresh path.
 *
 * @throws what ioredis throws when a node fails.
 */
export async function* scanRedisKeys(redis: RedisConnection, pattern: string): AsyncGenerator<string[]> {
  let nodes: Redis[];
  if (isCluster(redis)) {
    // Queued until the cluster is ready: before that, the client knows no masters yet.
    await redis.ping();
    nodes = redis.nodes("master");
  } else {
    nodes = [redis];
  }
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1_000);
      if (keys.length > 0) yield keys;
      cursor = next;
    } while (cursor !== "0");
  }
}
