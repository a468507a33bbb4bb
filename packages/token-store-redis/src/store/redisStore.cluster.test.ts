import { describeTokenStoreContract } from "@kontist-auth/token-store/testing";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisCluster, type TestRedisCluster, uniquePrefix } from "../../test";
import { redisStore } from "./redisStore";

// The store on a real Redis Cluster (three masters, no replicas: failover is packages/tests' business):
// every script runs on keys of one slot, the tokens spread over the masters, and listing visits them all.

const token = {
  accessToken: "eyJhbGciOiJFUzI1NiJ9.secret-access.sig",
  refreshToken: "secret-refresh-token",
  tokenType: "Bearer",
  expiresAt: 1_800_000_000_000,
  scopes: ["users", "offline"],
};

let cluster: TestRedisCluster;
const connections: Cluster[] = [];
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 0 });
}, 60_000);
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit().catch(() => {})));
  await cluster?.stop();
});

function connect(): Cluster {
  const connection = cluster.connect({ redisOptions: { maxRetriesPerRequest: 1 } });
  connections.push(connection);
  return connection;
}

for (const [name, prefix] of [
  ["a prefix without a hash tag (a tag per key)", () => uniquePrefix("cluster")],
  ["a prefix with a hash tag (one slot)", () => `{${uniquePrefix("cluster")}}`],
] as const) {
  describeTokenStoreContract(`redisStore on a Redis Cluster, ${name}`, () => {
    const shared = prefix();
    const [redis, peerRedis] = [connect(), connect()];
    return {
      store: redisStore(redis, { prefix: shared, pollMs: 10 }),
      peer: () => redisStore(peerRedis, { prefix: shared, pollMs: 10 }),
      close: async () => {
        await Promise.all([redis.quit(), peerRedis.quit()]);
      },
    };
  });
}

describe("redisStore on a Redis Cluster", () => {
  it("puts each token with its lock in one slot, and spreads the tokens over every master", async () => {
    const redis = connect();
    const prefix = uniquePrefix("cluster");
    const store = redisStore(redis, { prefix });
    const keys = Array.from({ length: 30 }, (_, index) => `kontist-auth:demo-client:user-${index}`);
    for (const key of keys) {
      await store.set(key, token);
      const lock = await store.lock(key);
      await lock.set({ ...token, accessToken: `${key}-renewed` }); // the two-key script: no CROSSSLOT
      await lock.release();
    }

    const masters = new Set<number>();
    for (const key of keys) {
      const slot = await cluster.slotOf(`${prefix}token:{${key}}`);
      expect(await cluster.slotOf(`${prefix}lock:{${key}}`)).toBe(slot);
      masters.add((await cluster.masterOf(slot)).port);
      expect((await store.get(key))?.accessToken).toBe(`${key}-renewed`);
    }
    expect(masters.size).toBe(3);

    // Listing and deleting visit every master.
    expect(await store.keys()).toEqual([...keys].sort());
    expect(await store.keys("kontist-auth:demo-client:user-1*")).toEqual(
      keys.filter((key) => key.startsWith("kontist-auth:demo-client:user-1")).sort(),
    );
    const held = await store.lock(keys[0] ?? "");
    expect(await store.deleteKeys("kontist-auth:demo-client:user-2*")).toBe(11);
    expect(await store.deleteKeys("*")).toBe(19);
    expect(await store.keys()).toEqual([]);
    await expect(held.set(token)).rejects.toMatchObject({ code: "TOKEN_STORE_LOCK_LOST" });
  });

  it("with a hash tag in the prefix, keeps the keys as on one Redis, all in the tag's slot", async () => {
    const redis = connect();
    const prefix = `{${uniquePrefix("cluster")}}:`;
    const store = redisStore(redis, { prefix });
    await store.set("a", token);
    await store.set("b", token);
    expect(await redis.exists(`${prefix}token:a`, `${prefix}token:b`)).toBe(2);
    expect(await store.keys()).toEqual(["a", "b"]);
    expect(await store.deleteKeys("*")).toBe(2);
  });
});
