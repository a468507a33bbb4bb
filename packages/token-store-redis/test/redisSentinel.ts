import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis, type RedisOptions } from "ioredis";
import {
  freePortRange,
  pollUntil,
  type RedisProcess,
  retryOnTakenPorts,
  spawnRedisServer,
} from "./redisProcess";

// A real Redis Sentinel setup for tests: a primary, a replica, and three sentinels (`redis-server
// --sentinel`, quorum 2) watching it, on loopback ports below 32 768, persistence off. Stopped by
// `stop()`, and killed with the test process should that die first.

/** What {@link startRedisSentinel} builds. */
export interface RedisSentinelOptions {
  /** `down-after-milliseconds`: how long the primary may be unreachable before a failover; default 1 000. */
  downAfterMs?: number;
  /** `failover-timeout` in ms; default 3 000 (a failed election is tried again after twice that). */
  failoverTimeoutMs?: number;
  /** How long the setup may take to come up, in ms; default 30 000. */
  startTimeoutMs?: number;
}

/** A running primary, replica and three sentinels. */
export interface TestRedisSentinel {
  /** The name the sentinels monitor the primary under (ioredis' `name`). */
  readonly name: string;
  /** The primary the setup started with. */
  readonly primary: RedisProcess;
  /** Its replica, promoted by a failover. */
  readonly replica: RedisProcess;
  /** The three sentinels. */
  readonly sentinels: readonly RedisProcess[];
  /** Where ioredis finds the sentinels (its `sentinels` option). */
  readonly sentinelAddresses: { host: string; port: number }[];
  /** A new ioredis connection to the current primary, through the sentinels; quit it before `stop()`. */
  connect(options?: RedisOptions): Redis;
  /** The port of the primary every sentinel reports now, or `undefined` while they disagree. */
  primaryPort(): Promise<number | undefined>;
  /**
   * Waits until every live sentinel reports the replica as the primary, and it says `role:master` (a
   * failover done).
   *
   * @throws when that takes longer than `timeoutMs` (default 20 000).
   */
  waitForPromotedReplica(timeoutMs?: number): Promise<void>;
  /** Stops every process (those already killed included) and removes their directories. */
  stop(): Promise<void>;
}

const host = "127.0.0.1";
const name = "kontist-auth-test";

/**
 * Starts a primary, its replica (in sync before the sentinels start, so they find it at once) and three
 * sentinels, and waits until every sentinel knows the replica and the two other sentinels (their quorum
 * of 2 is reachable: SENTINEL CKQUORUM). Ports taken meanwhile make it start again elsewhere.
 *
 * @throws when redis-server is missing (never skipped), or the setup does not come up.
 */
export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<TestRedisSentinel> {
  return retryOnTakenPorts(() => startOnFreePorts(options));
}

async function startOnFreePorts({
  downAfterMs = 1_000,
  failoverTimeoutMs = 3_000,
  startTimeoutMs = 30_000,
}: RedisSentinelOptions): Promise<TestRedisSentinel> {
  const base = await freePortRange(5);
  const dir = await mkdtemp(join(tmpdir(), "kontist-auth-redis-sentinel-"));
  const deadline = Date.now() + startTimeoutMs;
  const started: RedisProcess[] = [];
  const admins: Redis[] = [];
  const admin = (port: number) => {
    // Reconnects: a sentinel closes the normal clients of an instance it promotes. Fails a command at once
    // while disconnected; the polls try again.
    const connection = new Redis({ host, port, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    connection.on("error", () => {});
    admins.push(connection);
    return connection;
  };
  const stop = async () => {
    for (const connection of admins) connection.disconnect();
    await Promise.all(started.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  const data = (port: number) => [
    ...["--port", String(port), "--bind", host, "--dir", dir, "--dbfilename", `dump-${port}.rdb`],
    ...["--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"],
  ];

  try {
    const primary = await spawnRedisServer(data(base), base, { label: "primary" });
    started.push(primary);
    const replica = await spawnRedisServer([...data(base + 1), "--replicaof", host, String(base)], base + 1, {
      label: "replica",
    });
    started.push(replica);
    const replicaAdmin = admin(replica.port);
    await pollUntil(deadline, "the replica to sync", async () =>
      String(await replicaAdmin.call("INFO", "replication")).includes("master_link_status:up"),
    );

    const sentinels = await Promise.all(
      [base + 2, base + 3, base + 4].map(async (port) => {
        // Sentinel rewrites its configuration file (what it learns), so each gets its own.
        const config = join(dir, `sentinel-${port}.conf`);
        await writeFile(
          config,
          [
            `port ${port}`,
            `bind ${host}`,
            `dir ${dir}`,
            `sentinel monitor ${name} ${host} ${base} 2`,
            `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
            `sentinel failover-timeout ${name} ${failoverTimeoutMs}`,
            `sentinel parallel-syncs ${name} 1`,
            "",
          ].join("\n"),
        );
        const sentinel = await spawnRedisServer([config, "--sentinel"], port, { label: `sentinel ${port}` });
        started.push(sentinel);
        return sentinel;
      }),
    );
    const sentinelAdmins = sentinels.map((sentinel) => admin(sentinel.port));
    await pollUntil(deadline, "the sentinels to know the replica and each other", async () => {
      const states = await Promise.all(
        sentinelAdmins.map(async (sentinel) => {
          const fields = pairs(await sentinel.call("SENTINEL", "MASTER", name));
          const quorum = await sentinel.call("SENTINEL", "CKQUORUM", name).then(
            () => true,
            () => false,
          );
          return fields["num-slaves"] === "1" && fields["num-other-sentinels"] === "2" && quorum;
        }),
      );
      return states.every(Boolean);
    });

    const sentinelAddresses = sentinels.map((sentinel) => ({ host, port: sentinel.port }));
    const primaryPort = async () => {
      const ports = await Promise.all(
        sentinelAdmins
          .filter((_, index) => !sentinels[index]?.exited)
          .map(async (sentinel) => {
            const address = (await sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name)) as string[];
            return Number(address[1]);
          }),
      );
      return ports.every((port) => port === ports[0]) ? ports[0] : undefined;
    };
    return {
      name,
      primary,
      replica,
      sentinels,
      sentinelAddresses,
      connect: (connectionOptions = {}) =>
        new Redis({ sentinels: sentinelAddresses, name, ...connectionOptions }),
      primaryPort,
      async waitForPromotedReplica(timeoutMs = 20_000) {
        await pollUntil(Date.now() + timeoutMs, "the sentinels to fail over", async () => {
          if ((await primaryPort()) !== replica.port) return false;
          return String(await replicaAdmin.call("INFO", "replication")).includes("role:master");
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A flat `[field, value, field, value, …]` reply as an object. */
function pairs(reply: unknown): Record<string, string> {
  const list = reply as string[];
  const fields: Record<string, string> = {};
  for (let index = 0; index + 1 < list.length; index += 2)
    fields[String(list[index])] = String(list[index + 1]);
  return fields;
}
