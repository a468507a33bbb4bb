import { randomUUID } from "node:crypto";
import { sleep } from "@kontist-auth/protocol";
import { redisStore, type TokenStore } from "@kontist-auth/token-store-redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  connectRedis,
  deleteKeysUnder,
  startRedisIfNeeded,
  type TestRedis,
} from "../../token-store-redis/test/index";
import type { RedisFleetConfig } from "../test/fixtures/redisFleetClient";
import { type FleetProcess, startFleet } from "../test/fixtures/redisFleetProcesses";
import { loggedIn, type Sandbox, startSandbox } from "../test/sandboxSupport";

// A fleet of real Node processes sharing one token through a real Redis: an expired token is refreshed
// once for all of them, and an instance killed mid-refresh holds the others up for at most the lock TTL.

/**
 * Access token lifetimes, in seconds. After the refresh, every call must finish before the new token
 * expires too (or a second refresh follows): 8 × 200 calls take about 6 s on a busy 2-core machine, the
 * sandbox verifying each token, so the fleet's tokens live 20 s; the kill test's 4 × 50 calls need less.
 */
const fleetAccessTokenTtl = 20;
const killAccessTokenTtl = 10;
/**
 * The stalled refresher's request timeout; the client holds its refresh lock for three times that (the
 * store read, the request and the store write).
 */
const stalledTimeoutMs = 1_500;
const lockTtlMs = 3 * stalledTimeoutMs;

let fleetSandbox: Sandbox;
let killSandbox: Sandbox;
let testRedis: TestRedis;
let redis: ReturnType<typeof connectRedis>;
const prefixes: string[] = [];
let running: FleetProcess[] = [];

beforeAll(async () => {
  [fleetSandbox, killSandbox, testRedis] = await Promise.all([
    startSandbox({ port: 0, accessTokenTtl: fleetAccessTokenTtl }),
    startSandbox({ port: 0, accessTokenTtl: killAccessTokenTtl }),
    startRedisIfNeeded(),
  ]);
  redis = connectRedis(testRedis.url);
});
afterEach(async () => {
  await Promise.all(running.map((member) => member.kill()));
  running = [];
});
afterAll(async () => {
  if (redis) {
    for (const prefix of prefixes) await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  }
  await Promise.all([fleetSandbox?.close(), killSandbox?.close(), testRedis?.stop()]);
});

/** Logs in once, in this process, leaving the token in Redis for the fleet; returns the fleet's config. */
async function tokenInRedis(
  sandbox: Sandbox,
  calls: number,
): Promise<{ config: RedisFleetConfig; store: TokenStore; expiresAt: number }> {
  const prefix = `fleet-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const config: RedisFleetConfig = {
    sandboxUrl: sandbox.url,
    redisUrl: testRedis.url,
    prefix,
    tokenStoreKey: "kontist-auth:demo-client:demo@example.com",
    calls,
  };
  const store = redisStore(redis, { prefix });
  await loggedIn(sandbox, undefined, {
    tokenStore: store,
    tokenStoreKey: config.tokenStoreKey,
    refreshLeeway: 0,
  });
  const stored = await store.get(config.tokenStoreKey);
  if (stored?.expiresAt === undefined) throw new Error("the client did not write its token to Redis");
  return { config, store, expiresAt: stored.expiresAt };
}

async function untilExpired(expiresAt: number) {
  await sleep(Math.max(0, expiresAt - Date.now()) + 200);
}

/** When the stored access token first differs from `accessToken` (polled every 10 ms, for at most `timeoutMs`). */
async function whenReplaced(store: TokenStore, key: string, accessToken: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await store.get(key))?.accessToken !== accessToken) return Date.now();
    await sleep(10);
  }
  return Number.POSITIVE_INFINITY;
}

describe("a fleet sharing an expired token through Redis", () => {
  it("8 processes × 200 concurrent calls cause exactly one refresh, and every call succeeds", async () => {
    const sandbox = fleetSandbox;
    const { config, store, expiresAt } = await tokenInRedis(sandbox, 200);
    running = await startFleet("redisFleetWorker", 8, config);
    await untilExpired(expiresAt);
    const before = await sandbox.test.grantCount("refresh_token");

    for (const member of running) member.go();
    const results = await Promise.all(running.map((member) => member.next("result", 60_000)));

    const refreshes = (await sandbox.test.grantCount("refresh_token")) - before;
    const slowest = Math.max(...results.map((result) => result.doneAt - result.goAt));
    console.info(`redis fleet: 8 × 200 calls, ${refreshes} refresh(es), slowest process ${slowest} ms`);
    expect(results.map((result) => result.failures)).toEqual(Array(8).fill({}));
    expect(results.map((result) => result.succeeded)).toEqual(Array(8).fill(200));
    expect(refreshes).toBe(1);
    expect((await store.get(config.tokenStoreKey))?.expiresAt).toBeGreaterThan(expiresAt);
  }, 120_000);

  it("a process SIGKILLed while holding the refresh lock delays the others by at most the lock TTL", async () => {
    const sandbox = killSandbox;
    const { config, store, expiresAt } = await tokenInRedis(sandbox, 50);
    const expired = (await store.get(config.tokenStoreKey))?.accessToken ?? "";
    const [holder] = await startFleet("redisStalledRefresher", 1, { ...config, timeoutMs: stalledTimeoutMs });
    if (!holder) throw new Error("the stalled refresher did not start");
    running = [holder, ...(await startFleet("redisFleetWorker", 4, config))];
    const workers = running.slice(1);
    await untilExpired(expiresAt);
    const before = await sandbox.test.grantCount("refresh_token");

    // The holder takes the lock and stalls in its refresh request; it dies there.
    holder.go();
    await holder.next("holding", 20_000);
    await holder.kill("SIGKILL");
    const lockLeftMs = await redis.pttl(`${config.prefix}lock:${config.tokenStoreKey}`);
    const goAt = Date.now();
    for (const worker of workers) worker.go();
    const refreshedAt = await whenReplaced(store, config.tokenStoreKey, expired, 30_000);
    const results = await Promise.all(workers.map((worker) => worker.next("result", 60_000)));

    const firstSuccesses = results.map((result) => result.firstSuccessAt ?? Number.POSITIVE_INFINITY);
    const refreshDelay = refreshedAt - goAt;
    const refreshes = (await sandbox.test.grantCount("refresh_token")) - before;
    console.info(
      `redis fleet: holder SIGKILLed with ${lockLeftMs} of its ${lockTtlMs} ms lock left; the token was ` +
        `refreshed ${refreshDelay} ms after the others started, their first calls succeeded after ` +
        `${Math.min(...firstSuccesses) - goAt}–${Math.max(...firstSuccesses) - goAt} ms; ${refreshes} refresh(es)`,
    );
    // The dead holder's lock was live, and kept everyone from refreshing until it lapsed...
    expect(lockLeftMs).toBeGreaterThan(0);
    expect(lockLeftMs).toBeLessThanOrEqual(lockTtlMs);
    expect(Math.min(...firstSuccesses)).toBeGreaterThanOrEqual(goAt + lockLeftMs - 20);
    // ...then one process refreshed at once (within a poll and a token request), and everyone went on.
    expect(refreshDelay).toBeGreaterThanOrEqual(lockLeftMs - 20);
    expect(refreshDelay).toBeLessThanOrEqual(lockLeftMs + 500);
    expect(Math.max(...firstSuccesses) - goAt).toBeLessThanOrEqual(lockTtlMs + 2_000);
    expect(results.map((result) => result.failures)).toEqual(Array(4).fill({}));
    expect(refreshes).toBe(1);
  }, 120_000);
});
