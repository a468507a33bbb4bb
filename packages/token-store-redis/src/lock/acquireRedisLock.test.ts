import { sleep } from "@kontist-auth/protocol";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import type { LockingTokenStore } from "@kontist-auth/token-store";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectRedis, deleteKeysUnder, uniquePrefix } from "../../test";
import { redisStore } from "../store/redisStore";

// The refresh lock against a real Redis: exclusive, owner-safe, freed by its TTL, bounded by its timeout.

const redis = connectRedis();
let prefix: string;
beforeEach(() => {
  prefix = uniquePrefix();
});
afterEach(() => deleteKeysUnder(redis, prefix));
afterAll(() => redis.quit());

function lockOf(store: LockingTokenStore) {
  return store.lock.bind(store);
}

describe("redisStore().lock", () => {
  it("lets one of 50 concurrent contenders on 5 connections hold it at a time", async () => {
    const connections = Array.from({ length: 5 }, () => connectRedis());
    try {
      const stores = connections.map((connection) => redisStore(connection, { prefix, pollMs: 5 }));
      const intervals: Array<{ start: number; end: number }> = [];
      let holders = 0;
      let mostHolders = 0;

      await Promise.all(
        Array.from({ length: 50 }, async (_, index) => {
          const store = stores[index % stores.length] as LockingTokenStore;
          const lock = await lockOf(store)("me", { ttlMs: 10_000, timeoutMs: 20_000 });
          const start = performance.now();
          holders++;
          mostHolders = Math.max(mostHolders, holders);
          await sleep(Math.random() * 4);
          holders--;
          const end = performance.now();
          intervals.push({ start, end });
          await lock.release();
        }),
      );

      expect(intervals).toHaveLength(50);
      expect(mostHolders).toBe(1);
      intervals.sort((a, b) => a.start - b.start);
      for (let index = 1; index < intervals.length; index++) {
        const previous = intervals[index - 1] as { end: number };
        expect((intervals[index] as { start: number }).start).toBeGreaterThanOrEqual(previous.end);
      }
      expect(await redis.exists(`${prefix}lock:me`)).toBe(0);
    } finally {
      for (const connection of connections) connection.disconnect();
    }
  });

  it("locks keys independently, at <prefix>lock:<key>, with the TTL asked for", async () => {
    const lock = lockOf(redisStore(redis, { prefix }));
    const a = await lock("a", { ttlMs: 5_000 });
    const b = await lock("b", { ttlMs: 5_000, timeoutMs: 0 });
    const ttl = await redis.pttl(`${prefix}lock:a`);
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect(await redis.exists(`${prefix}lock:b`)).toBe(1);
    await Promise.all([a.release(), b.release()]);
    expect(await redis.exists(`${prefix}lock:a`, `${prefix}lock:b`)).toBe(0);
  });

  it("never lets a holder whose lock expired release its successor's lock", async () => {
    const lock = lockOf(redisStore(redis, { prefix, pollMs: 5 }));
    const late = await lock("me", { ttlMs: 100 });
    const successor = await lock("me", { ttlMs: 10_000, timeoutMs: 2_000 });
    const successorOwner = await redis.get(`${prefix}lock:me`);

    await late.release();

    expect(await redis.get(`${prefix}lock:me`)).toBe(successorOwner);
    await expect(lock("me", { timeoutMs: 100 })).rejects.toMatchObject({ code: "TOKEN_STORE_LOCK_TIMEOUT" });
    await successor.release();
    expect(await redis.exists(`${prefix}lock:me`)).toBe(0);
  });

  it("is freed by its TTL when the holder's process is gone (its connection dropped, no release)", async () => {
    const crashed = connectRedis();
    const ttlMs = 400;
    await lockOf(redisStore(crashed, { prefix }))("me", { ttlMs });
    crashed.disconnect();
    const waitingSince = performance.now();

    const next = await lockOf(redisStore(redis, { prefix, pollMs: 10 }))("me", { timeoutMs: 5_000 });
    const waited = performance.now() - waitingSince;

    expect(waited).toBeGreaterThanOrEqual(ttlMs - 50);
    expect(waited).toBeLessThan(ttlMs + 300);
    await next.release();
  });

  it("gives up after timeoutMs with TOKEN_STORE_LOCK_TIMEOUT, leaving the holder's lock alone", async () => {
    const lock = lockOf(redisStore(redis, { prefix, pollMs: 20 }));
    const holder = await lock("me", { ttlMs: 10_000 });
    const owner = await redis.get(`${prefix}lock:me`);
    const since = performance.now();

    const error = await lock("me", { timeoutMs: 300 }).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    const waited = performance.now() - since;
    expect(isKontistAuthError(error, "TOKEN_STORE_LOCK_TIMEOUT")).toBe(true);
    expect(error).toMatchObject({ name: "TokenStoreError", message: expect.stringContaining("300 ms") });
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1_000);
    expect(await redis.get(`${prefix}lock:me`)).toBe(owner);
    await holder.release();
  });

  it("waits, by default, longer than the TTL, so a dead holder never makes waiters fail", async () => {
    const lock = lockOf(redisStore(redis, { prefix, lockTtlMs: 300, pollMs: 10 }));
    await lock("me");
    const next = await lock("me");
    await next.release();
  });

  it("releases once: a second release() is harmless", async () => {
    const lock = lockOf(redisStore(redis, { prefix }));
    const held = await lock("me");
    await held.release();
    const next = await lock("me", { timeoutMs: 0 });
    await held.release();
    expect(await redis.exists(`${prefix}lock:me`)).toBe(1);
    await next.release();
  });

  it("refuses a TTL or timeout out of range with a TypeError", async () => {
    const lock = lockOf(redisStore(redis, { prefix }));
    await expect(lock("me", { ttlMs: 0 })).rejects.toThrow(TypeError);
    await expect(lock("me", { timeoutMs: -1 })).rejects.toThrow(TypeError);
    expect(await redis.exists(`${prefix}lock:me`)).toBe(0);
  });
});
