import { type RedisConnection, type RedisTokenStore, redisStore } from "@kontist-auth/token-store-redis";
import {
  connectRedis,
  deleteKeysUnder,
  startRedisCluster,
  startRedisIfNeeded,
  startRedisSentinel,
  type TestRedis,
  type TestRedisCluster,
  type TestRedisSentinel,
  uniquePrefix,
} from "../../token-store-redis/test/index";
import { connectFailoverRedis, type FailoverRedis } from "../test/fixtures/redisFailoverConnection";
import {
  type FailoverFleetProcess,
  type FleetRun,
  failoverFleetSize,
  failoverPrefix,
  runFleet,
  type StoredLogin,
  startFailoverFleet,
  storedLogin,
  untilExpired,
} from "../test/fixtures/redisFailoverFleet";
import { type FleetProcess, startFleet } from "../test/fixtures/redisFleetProcesses";
import { type Sandbox, startSandbox } from "../test/sandboxSupport";

// Fleets of real Node processes sharing one expired token through a single Redis, a Redis Cluster and
// Redis Sentinel, the last two with a failover mid-refresh: the same fixtures and settings as
// src/redisFleet.test.ts, src/redisCluster.test.ts and src/redisSentinel.test.ts, one run per row.

const { accessTokenTtl, processes, calls } = failoverFleetSize;
/** How long a cluster or Sentinel worker retries a failed call before counting it as failed. */
const retryForMs = 30_000;
/** How long the sandbox holds the first refresh request in a failover run (runFleet's default). */
const holdRefreshMs = 1_500;

/** What `pnpm bench` writes above the table. */
export const redisFleetsDescription = `${processes} real Node processes × ${calls} concurrent \`client.graphQL.rawQuery\` calls each, sharing one expired access token (the sandbox's tokens live ${accessTokenTtl} s) through \`@kontist-auth/token-store-redis\`, against the sandbox on loopback: a single \`redis-server\`; a Redis Cluster of 3 masters and 3 replicas (\`cluster-node-timeout\` 1 s); the same cluster with the master holding the token and its refresh lock SIGKILLed while one process refreshes (the sandbox holds that refresh ${(holdRefreshMs / 1000).toFixed(1)} s; the kill comes as soon as the lock is seen taken); Redis Sentinel (a primary, a replica, 3 sentinels, \`down-after-milliseconds\` 1 s) with the primary SIGKILLed the same way. Refreshes are counted by the sandbox. On a cluster or behind Sentinel a process retries a failed call, as an app would (every 100–300 ms, for up to ${retryForMs / 1000} s), and a call is *retried* when it needed more than one attempt; the single-Redis processes do not retry. **Redis back** is from the kill until every live cluster node reports the cluster ok with the same new master for the token's slot, or until every sentinel names the replica as primary and it reports \`role:master\`; **slowest process** from its start to its last call; **all done** from the kill to the last call of the fleet. One run per row.`;

/** What one row's run measured. */
interface FleetFigures {
  label: string;
  refreshes: number;
  failed: number;
  /** Calls that needed more than one attempt; undefined when the processes do not retry. */
  retried: number | undefined;
  slowestMs: number;
  /** From the kill to the Redis agreeing on a new master or primary; failover rows only. */
  redisBackMs?: number | undefined;
  /** From the kill to the fleet's last call; failover rows only. */
  allDoneMs?: number | undefined;
}

/** A cluster or Sentinel setup: where it is, and this process's connection and store on it. */
interface FailoverSetup {
  connection: FailoverRedis;
  redis: RedisConnection;
  store: RedisTokenStore;
}

function failoverSetup(connection: FailoverRedis, prefix: string): FailoverSetup {
  const redis = connectFailoverRedis(connection);
  return { connection, redis, store: redisStore(redis, { prefix }) };
}

/** The figures of a cluster or Sentinel run, from the workers' own reports and the sandbox's count. */
function failoverFigures(label: string, run: FleetRun): FleetFigures {
  const { results, failover } = run;
  const succeeded = results.reduce((sum, result) => sum + result.succeeded, 0);
  const lastDone = Math.max(...results.map((result) => result.doneAt));
  return {
    label,
    refreshes: run.refreshes,
    failed: processes * calls - succeeded,
    retried: results.reduce((sum, result) => sum + result.callsRetried, 0),
    slowestMs: Math.max(...results.map((result) => result.doneAt - result.goAt)),
    redisBackMs: failover && failover.recoveredAt - failover.killedAt,
    allDoneMs: failover && lastDone - failover.killedAt,
  };
}

const cell = (value: number | undefined) => (value === undefined ? "—" : value.toLocaleString("en"));

/**
 * Runs each fleet once (a single Redis, a Redis Cluster, the cluster with a master SIGKILLed mid-refresh,
 * Sentinel with the primary SIGKILLed mid-refresh) and returns a markdown table of what the runs took.
 * Every Redis, sandbox and fleet process it starts is stopped before it returns.
 *
 * @throws {Error} when redis-server is missing, a Redis setup or a fleet does not come up, no process takes
 *   the refresh lock, or a failover does not complete within 20 s.
 */
export async function redisFleetsTable(): Promise<string> {
  let sandbox: Sandbox | undefined;
  let single: TestRedis | undefined;
  let cluster: TestRedisCluster | undefined;
  let sentinel: TestRedisSentinel | undefined;
  let singleRedis: ReturnType<typeof connectRedis> | undefined;
  const setups: FailoverSetup[] = [];
  let running: (FleetProcess | FailoverFleetProcess)[] = [];
  const singlePrefix = uniquePrefix("fleet-bench");
  const prefix = failoverPrefix();
  try {
    // Settled one by one, so that `finally` stops whatever started when something else failed to.
    const started = await Promise.allSettled([
      startSandbox({ port: 0, accessTokenTtl }).then((value) => {
        sandbox = value;
      }),
      startRedisIfNeeded().then((value) => {
        single = value;
      }),
      startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 1_000 }).then((value) => {
        cluster = value;
      }),
      startRedisSentinel({ downAfterMs: 1_000, failoverTimeoutMs: 3_000 }).then((value) => {
        sentinel = value;
      }),
    ]);
    for (const result of started) if (result.status === "rejected") throw result.reason;
    if (!sandbox || !single || !cluster || !sentinel) throw new Error("a fleet's setup did not start");
    const onSandbox = sandbox;
    const onCluster = cluster;
    const onSentinel = sentinel;

    singleRedis = connectRedis(single.url);
    const singleStore = redisStore(singleRedis, { prefix: singlePrefix });
    const clustered = failoverSetup({ kind: "cluster", nodes: onCluster.startupNodes }, prefix);
    setups.push(clustered);
    const sentinelled = failoverSetup(
      { kind: "sentinel", sentinels: onSentinel.sentinelAddresses, name: onSentinel.name },
      prefix,
    );
    setups.push(sentinelled);

    // Every row's login at once, so their expiry is waited for once.
    const [singleLogin, clusterLogin, clusterKillLogin, sentinelKillLogin] = await Promise.all([
      storedLogin(onSandbox, singleStore, singlePrefix),
      storedLogin(onSandbox, clustered.store, prefix),
      storedLogin(onSandbox, clustered.store, prefix),
      storedLogin(onSandbox, sentinelled.store, prefix),
    ]);
    await untilExpired(
      Math.max(
        singleLogin.expiresAt,
        clusterLogin.expiresAt,
        clusterKillLogin.expiresAt,
        sentinelKillLogin.expiresAt,
      ),
    );

    const fleetOf = async (setup: FailoverSetup, login: StoredLogin) => {
      const fleet = await startFailoverFleet(processes, {
        sandboxUrl: onSandbox.url,
        redis: setup.connection,
        prefix,
        tokenStoreKey: login.tokenStoreKey,
        calls,
        retryForMs,
      });
      running = fleet;
      return fleet;
    };
    const stopFleet = async () => {
      await Promise.all(running.map((member) => member.kill()));
      running = [];
    };
    const rows: FleetFigures[] = [];

    // A single Redis: the fleet of src/redisFleet.test.ts, counted as that test counts it.
    const singleFleet = await startFleet("redisFleetWorker", processes, {
      sandboxUrl: onSandbox.url,
      redisUrl: single.url,
      prefix: singlePrefix,
      tokenStoreKey: singleLogin.tokenStoreKey,
      calls,
    });
    running = singleFleet;
    const before = await onSandbox.test.grantCount("refresh_token");
    for (const member of singleFleet) member.go();
    const singleResults = await Promise.all(singleFleet.map((member) => member.next("result", 60_000)));
    rows.push({
      label: "single Redis",
      refreshes: (await onSandbox.test.grantCount("refresh_token")) - before,
      failed: processes * calls - singleResults.reduce((sum, result) => sum + result.succeeded, 0),
      retried: undefined,
      slowestMs: Math.max(...singleResults.map((result) => result.doneAt - result.goAt)),
    });
    await stopFleet();

    // A Redis Cluster, then the same cluster losing the master that holds the token mid-refresh.
    const clusterRun = await runFleet({
      sandbox: onSandbox,
      fleet: await fleetOf(clustered, clusterLogin),
      store: clustered.store,
      tokenStoreKey: clusterLogin.tokenStoreKey,
    });
    rows.push(failoverFigures("Redis Cluster (3 masters, 3 replicas)", clusterRun));
    await stopFleet();

    // Without a hash tag in the prefix, each key is wrapped in its own: the token and its lock share a slot.
    const slot = await onCluster.slotOf(`${prefix}token:{${clusterKillLogin.tokenStoreKey}}`);
    const clusterLockKey = `${prefix}lock:{${clusterKillLogin.tokenStoreKey}}`;
    if ((await onCluster.slotOf(clusterLockKey)) !== slot) {
      throw new Error("the token and its refresh lock are in different cluster slots");
    }
    const master = await onCluster.masterOf(slot);
    const clusterKillRun = await runFleet({
      sandbox: onSandbox,
      fleet: await fleetOf(clustered, clusterKillLogin),
      store: clustered.store,
      tokenStoreKey: clusterKillLogin.tokenStoreKey,
      holdRefreshMs,
      lockHeld: async () => (await clustered.redis.exists(clusterLockKey)) === 1,
      duringRefresh: async () => {
        const killedAt = Date.now();
        await master.kill("SIGKILL");
        await onCluster.waitForNewMaster(slot, master, 20_000);
        return { killedAt, recoveredAt: Date.now() };
      },
    });
    rows.push(failoverFigures("Redis Cluster, master SIGKILLed mid-refresh", clusterKillRun));
    await stopFleet();

    // Sentinel, the primary SIGKILLed mid-refresh.
    const sentinelLockKey = `${prefix}lock:${sentinelKillLogin.tokenStoreKey}`;
    const sentinelKillRun = await runFleet({
      sandbox: onSandbox,
      fleet: await fleetOf(sentinelled, sentinelKillLogin),
      store: sentinelled.store,
      tokenStoreKey: sentinelKillLogin.tokenStoreKey,
      holdRefreshMs,
      lockHeld: async () => (await sentinelled.redis.exists(sentinelLockKey)) === 1,
      duringRefresh: async () => {
        const killedAt = Date.now();
        await onSentinel.primary.kill("SIGKILL");
        await onSentinel.waitForPromotedReplica(20_000);
        return { killedAt, recoveredAt: Date.now() };
      },
    });
    rows.push(
      failoverFigures(
        "Sentinel (primary, replica, 3 sentinels), primary SIGKILLed mid-refresh",
        sentinelKillRun,
      ),
    );
    await stopFleet();

    return [
      "| Redis | processes × calls | refreshes | calls failed | calls retried | Redis back after the kill, ms | slowest process, ms | all done after the kill, ms |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows.map(
        (row) =>
          `| ${row.label} | ${processes} × ${calls} | ${row.refreshes} | ${row.failed} | ${cell(row.retried)} | ${cell(row.redisBackMs)} | ${cell(row.slowestMs)} | ${cell(row.allDoneMs)} |`,
      ),
    ].join("\n");
  } finally {
    await Promise.all(running.map((member) => member.kill()));
    for (const setup of setups) setup.redis.disconnect();
    if (singleRedis) {
      // A Redis given by REDIS_URL outlives the bench: leave nothing behind in it.
      await deleteKeysUnder(singleRedis, singlePrefix).catch(() => {});
      singleRedis.disconnect();
    }
    await Promise.allSettled([sandbox?.close(), single?.stop(), cluster?.stop(), sentinel?.stop()]);
  }
}
