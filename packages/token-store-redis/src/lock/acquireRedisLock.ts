import { randomUUID } from "node:crypto";
import { sleep } from "@kontist-auth/protocol";
import { lockTimeoutError } from "@kontist-auth/token-store/backend";
import type { Cluster, Redis } from "ioredis";
import { redisFailure } from "../errors";

/** An ioredis connection: a single server (`Redis`) or a cluster (every command here touches one key). */
export type RedisConnection = Redis | Cluster;

/** How {@link acquireRedisLock} takes and waits for a lock; all in milliseconds. */
export interface RedisLockTiming {
  /** How long the lock lives if its holder never releases it. */
  ttlMs: number;
  /** How long to wait for a held lock before giving up. */
  timeoutMs: number;
  /** The mean pause between attempts while the lock is held elsewhere (each pause is jittered ±50%). */
  pollMs: number;
}

/** A lock taken by {@link acquireRedisLock}: its random owner id (what the lock key holds), and its release. */
export interface RedisLockLease {
  /** The value of the lock key while this holder has it; scripts compare it to fence writes. */
  readonly owner: string;
  /** Compare-and-delete; the first call's promise is returned again to any later call. */
  release(): Promise<void>;
}

/**
 * Deletes the lock only if it still holds this holder's owner id. A plain `DEL` after a holder outlived its
 * TTL would delete the *next* holder's lock and let a third process in; GET and DEL in one script are atomic.
 */
export const releaseLockScript = `if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("del", KEYS[1])
else
  return 0
end`;

/**
 * Takes the lock at `lockKey`: `SET lockKey <random owner> NX PX ttlMs`, retried with jittered pauses
 * until it succeeds or `timeoutMs` has passed. The TTL frees the lock of a holder that died; the random
 * owner lets {@link releaseLockScript} release only this holder's lock, and lets the store's writes
 * through the lock check it is still theirs.
 *
 * @throws {TokenStoreError} `TOKEN_STORE_LOCK_TIMEOUT` when the lock stays held elsewhere for
 *   `timeoutMs`; `TOKEN_STORE_ERROR` when Redis fails.
 */
export async function acquireRedisLock(
  redis: RedisConnection,
  lockKey: string,
  timing: RedisLockTiming,
): Promise<RedisLockLease> {
  const owner = randomUUID();
  const deadline = Date.now() + timing.timeoutMs;
  for (;;) {
    let reply: string | null;
    try {
      // PX takes whole milliseconds; round up so the lock never lives shorter than asked.
      reply = await redis.set(lockKey, owner, "PX", Math.ceil(timing.ttlMs), "NX");
    } catch (error) {
      throw redisFailure("take the refresh lock", error);
    }
    if (reply === "OK") return heldLock(redis, lockKey, owner);

    const remaining = deadline - Date.now();
    if (remaining <= 0) throw lockTimeoutError(timing.timeoutMs);
    // Jitter spreads a fleet's retries, so they do not all hit Redis in the same millisecond.
    const pause = timing.pollMs * (0.5 + Math.random());
    await sleep(Math.max(1, Math.min(pause, remaining)));
  }
}

function heldLock(redis: RedisConnection, lockKey: string, owner: string): RedisLockLease {
  let released: Promise<void> | undefined;
  return {
    owner,
    release() {
      released ??= (async () => {
        try {
          await redis.eval(releaseLockScript, 1, lockKey, owner);
        } catch (error) {
          // The TTL frees the lock anyway; the caller learns that this release did not get through.
          throw redisFailure("release the refresh lock", error);
        }
      })();
      return released;
    },
  };
}
