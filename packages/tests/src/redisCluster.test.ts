import { type RedisConnection, type RedisTokenStore, redisStore } from "@kontist-auth/token-store-redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startRedisCluster, type TestRedisCluster } from "../../token-store-redis/test/index";
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

// A fleet of real Node processes sharing one token through a real Redis Cluster (three masters, three
// replicas): an expired token is refreshed once; and when the master holding it is SIGKILLed while one
// process refreshes, its replica takes over, every call still succeeds, and at most one more refresh
// follows — never an older token written over a newer one.

const { accessTokenTtl, processes, calls } = failoverFleetSize;

let sandbox: Sandbox;
let cluster: TestRedisCluster;
let redis: RedisConnection;
let connection: FailoverRedis;
let store: RedisTokenStore;
const prefix = failoverPrefix();
/** Two logins made at once, one per test, so their 20 s expiry is waited for once. */
let logins: StoredLogin[];
let running: FailoverFleetProcess[] = [];

beforeAll(async () => {
  // Settled one by one, so that afterAll stops whatever started when something else failed to.
  const started = await Promise.allSettled([
    startSandbox({ port: 0, accessTokenTtl }).then((running) => {
      sandbox = running;
    }),
    startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 1_000 }).then((running) => {
      cluster = running;
    }),
  ]);
  for (const result of started) if (result.status === "rejected") throw result.reason;
  connection = { kind: "cluster", nodes: cluster.startupNodes };
  redis = connectFailoverRedis(connection);
  store = redisStore(redis, { prefix });
  logins = await Promise.all([storedLogin(sandbox, store, prefix), storedLogin(sandbox, store, prefix)]);
}, 60_000);
afterEach(async () => {
  await Promise.all(running.map((member) => member.kill()));
  running = [];
});
afterAll(async () => {
  redis?.disconnect();
  await Promise.all([sandbox?.close(), cluster?.stop()]);
});

function fleetOf(login: StoredLogin) {
  return startFailoverFleet(processes, {
    sandboxUrl: sandbox.url,
    redis: connection,
    prefix,
    tokenStoreKey: login.tokenStoreKey,
    calls,
    retryForMs: 30_000,
  });
}

describe("a fleet sharing an expired token through a Redis Cluster", () => {
  it(`${processes} processes × ${calls} concurrent calls cause exactly one refresh`, async () => {
    const [login] = logins;
    if (!login) throw new Error("no login");
    running = await fleetOf(login);
    await untilExpired(login.expiresAt);

    const run = await runFleet({ sandbox, fleet: running, store, tokenStoreKey: login.tokenStoreKey });

    const slowest = Math.max(...run.results.map((result) => result.doneAt - result.goAt));
    console.info(
      `redis cluster fleet: ${processes} × ${calls} calls, ${run.refreshes} refresh(es), slowest process ${slowest} ms`,
    );
    expectEveryCallAndNoOlderToken(run, login, { processes, calls });
    expect(run.refreshes).toBe(1);
  }, 60_000);

  it("the same while the master holding the token is SIGKILLed mid-refresh: its replica takes over, every call succeeds, at most one extra refresh", async () => {
    const [, login] = logins;
    if (!login) throw new Error("no login");
    // Without a hash tag in the prefix, each key is wrapped in its own: the token and its lock share a slot.
    const slot = await cluster.slotOf(`${prefix}token:{${login.tokenStoreKey}}`);
    const lockKey = `${prefix}lock:{${login.tokenStoreKey}}`;
    expect(await cluster.slotOf(lockKey)).toBe(slot);
    const master = await cluster.masterOf(slot);
    running = await fleetOf(login);
    await untilExpired(login.expiresAt);

    const run = await runFleet({
      sandbox,
      fleet: running,
      store,
      tokenStoreKey: login.tokenStoreKey,
      lockHeld: async () => (await redis.exists(lockKey)) === 1,
      duringRefresh: async () => {
        const killedAt = Date.now();
        await master.kill("SIGKILL");
        await cluster.waitForNewMaster(slot, master, 20_000);
        return { killedAt, recoveredAt: Date.now() };
      },
    });

    console.info(`redis cluster failover: master ${failoverSummary(run, processes * calls)}`);
    expect(master.exited).toBe(true);
    expect((await cluster.masterOf(slot)).port).not.toBe(master.port);
    expectEveryCallAndNoOlderToken(run, login, { processes, calls });
    expect(run.refreshes).toBeGreaterThanOrEqual(1);
    expect(run.refreshes).toBeLessThanOrEqual(2);
  }, 60_000);
});
