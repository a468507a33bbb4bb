import { type RedisConnection, type RedisTokenStore, redisStore } from "@kontist-auth/token-store-redis";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pollUntil, startRedisSentinel, type TestRedisSentinel } from "../../token-store-redis/test/index";
import { connectFailoverRedis, type FailoverRedis } from "../test/fixtures/redisFailoverConnection";
import {
  expectEveryCallAndNoOlderToken,
  type FailoverFleetProcess,
  failoverFleetSize,
  failoverPrefix,
  failoverSummary,
  runFleet,
  type StoredLogin,
  startFailoverFleet,
  storedLogin,
  untilExpired,
} from "../test/fixtures/redisFailoverFleet";
import { type Sandbox, startSandbox } from "../test/sandboxSupport";

// A fleet of real Node processes sharing one token through Redis Sentinel (a primary, a replica, three
// sentinels; ioredis finds the primary through them): an expired token is refreshed once; and when the
// primary is SIGKILLed while one process refreshes, the sentinels promote the replica, every call still
// succeeds, and at most one more refresh follows — never an older token written over a newer one. The
// last test loses the lock in the failover on purpose, to show that bound and the fenced write at work.

const { accessTokenTtl, processes, calls } = failoverFleetSize;

/** A Sentinel setup with the test's own connection and store on it. */
interface Setup {
  sentinel: TestRedisSentinel;
  connection: FailoverRedis;
  redis: RedisConnection;
  store: RedisTokenStore;
}

let sandbox: Sandbox;
/** Each failover test needs a primary with a replica: `main` serves the first two tests, `spare` the last. */
let main: Setup;
let spare: Setup;
const prefix = failoverPrefix();
/** The logins of the three tests, made at once, so their 20 s expiry is waited for once. */
let logins: StoredLogin[];
let running: FailoverFleetProcess[] = [];

async function setUp(): Promise<Setup> {
  const sentinel = await startRedisSentinel({ downAfterMs: 1_000, failoverTimeoutMs: 3_000 });
  const connection: FailoverRedis = {
    kind: "sentinel",
    sentinels: sentinel.sentinelAddresses,
    name: sentinel.name,
  };
  const redis = connectFailoverRedis(connection);
  return { sentinel, connection, redis, store: redisStore(redis, { prefix }) };
}

beforeAll(async () => {
  // Settled one by one, so that afterAll stops whatever started when something else failed to.
  const started = await Promise.allSettled([
    startSandbox({ port: 0, accessTokenTtl }).then((running) => {
      sandbox = running;
    }),
    setUp().then((setup) => {
      main = setup;
    }),
    setUp().then((setup) => {
      spare = setup;
    }),
  ]);
  for (const result of started) if (result.status === "rejected") throw result.reason;
  logins = await Promise.all([
    storedLogin(sandbox, main.store, prefix),
    storedLogin(sandbox, main.store, prefix),
    storedLogin(sandbox, spare.store, prefix),
  ]);
}, 60_000);
afterEach(async () => {
  await Promise.all(running.map((member) => member.kill()));
  running = [];
});
afterAll(async () => {
  for (const setup of [main, spare]) setup?.redis.disconnect();
  await Promise.all([sandbox?.close(), main?.sentinel.stop(), spare?.sentinel.stop()]);
});

function fleetOf(setup: Setup, login: StoredLogin) {
  return startFailoverFleet(processes, {
    sandboxUrl: sandbox.url,
    redis: setup.connection,
    prefix,
    tokenStoreKey: login.tokenStoreKey,
    calls,
    retryForMs: 30_000,
  });
}

describe("a fleet sharing an expired token through Redis Sentinel", () => {
  it(`${processes} processes × ${calls} concurrent calls cause exactly one refresh`, async () => {
    const [login] = logins;
    if (!login) throw new Error("no login");
    running = await fleetOf(main, login);
    await untilExpired(login.expiresAt);

    const run = await runFleet({
      sandbox,
      fleet: running,
      store: main.store,
      tokenStoreKey: login.tokenStoreKey,
    });

    const slowest = Math.max(...run.results.map((result) => result.doneAt - result.goAt));
    console.info(
      `redis sentinel fleet: ${processes} × ${calls} calls, ${run.refreshes} refresh(es), slowest process ${slowest} ms`,
    );
    expectEveryCallAndNoOlderToken(run, login, { processes, calls });
    expect(run.refreshes).toBe(1);
  }, 60_000);

  it("the same while the primary is SIGKILLed mid-refresh: the sentinels promote the replica, every call succeeds, at most one extra refresh", async () => {
    const [, login] = logins;
    if (!login) throw new Error("no login");
    const { sentinel, redis } = main;
    const lockKey = `${prefix}lock:${login.tokenStoreKey}`;
    expect(await sentinel.primaryPort()).toBe(sentinel.primary.port);
    running = await fleetOf(main, login);
    await untilExpired(login.expiresAt);

    const run = await runFleet({
      sandbox,
      fleet: running,
      store: main.store,
      tokenStoreKey: login.tokenStoreKey,
      lockHeld: async () => (await redis.exists(lockKey)) === 1,
      duringRefresh: async () => {
        const killedAt = Date.now();
        await sentinel.primary.kill("SIGKILL");
        await sentinel.waitForPromotedReplica(20_000);
        return { killedAt, recoveredAt: Date.now() };
      },
    });

    console.info(`redis sentinel failover: primary ${failoverSummary(run, processes * calls)}`);
    expect(sentinel.primary.exited).toBe(true);
    expect(await sentinel.primaryPort()).toBe(sentinel.replica.port);
    expectEveryCallAndNoOlderToken(run, login, { processes, calls });
    expect(run.refreshes).toBeGreaterThanOrEqual(1);
    expect(run.refreshes).toBeLessThanOrEqual(2);
  }, 60_000);

  it("a lock lost in the failover costs exactly one extra refresh, and its first holder's token is never stored", async () => {
    const [, , login] = logins;
    if (!login) throw new Error("no login");
    const { sentinel, redis } = spare;
    const lockKey = `${prefix}lock:${login.tokenStoreKey}`;
    // Asynchronous replication can lose the lock with the primary: here it is deleted from the replica
    // (made writable for that) just before the primary dies, as if its SET had not reached it yet.
    const replica = new Redis({ port: sentinel.replica.port, host: "127.0.0.1", maxRetriesPerRequest: 0 });
    replica.on("error", () => {});
    running = await fleetOf(spare, login);
    await untilExpired(login.expiresAt);

    try {
      const run = await runFleet({
        sandbox,
        fleet: running,
        store: spare.store,
        tokenStoreKey: login.tokenStoreKey,
        // The first holder's refresh outlasts the failover and its successor's whole refresh.
        holdRefreshMs: 5_000,
        lockHeld: async () => (await redis.exists(lockKey)) === 1,
        duringRefresh: async () => {
          await pollUntil(Date.now() + 5_000, "the lock to reach the replica", async () => {
            return (await replica.exists(lockKey)) === 1;
          });
          await replica.config("SET", "replica-read-only", "no");
          expect(await replica.del(lockKey)).toBe(1);
          const killedAt = Date.now();
          await sentinel.primary.kill("SIGKILL");
          await sentinel.waitForPromotedReplica(20_000);
          return { killedAt, recoveredAt: Date.now() };
        },
      });

      console.info(`redis sentinel failover, lock lost: primary ${failoverSummary(run, processes * calls)}`);
      expectEveryCallAndNoOlderToken(run, login, { processes, calls });
      // A second holder took the lost lock on the new primary and refreshed; the first holder's write
      // through its lost lock was refused: the store held the login's token, then the second holder's only.
      expect(run.refreshes).toBe(2);
      expect(run.seen).toHaveLength(2);
    } finally {
      replica.disconnect();
    }
  }, 60_000);
});
