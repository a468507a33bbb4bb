import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "@kontist-auth/protocol";
import { Cluster, type ClusterOptions, Redis } from "ioredis";
import {
  freePortRange,
  pollUntil,
  type RedisProcess,
  retryOnTakenPorts,
  spawnRedisServer,
} from "./redisProcess";

// A real Redis Cluster for tests: `masters` masters with `replicas` replicas each, Debian's redis-server in
// cluster mode on loopback ports (and their bus ports, port + 10 000) below 32 768, slots and replicas
// assigned by hand (CLUSTER ADDSLOTSRANGE / MEET / REPLICATE), persistence off. Stopped by `stop()`, and
// killed with the test process should that die first.

/** What {@link startRedisCluster} builds. */
export interface RedisClusterOptions {
  /** Masters, each serving an equal share of the 16 384 slots; default 3. */
  masters?: number;
  /** Replicas per master; default 1. */
  replicas?: number;
  /**
   * `cluster-node-timeout` in ms, default 1 000: a master unreachable that long is failed over to its
   * replica (a second or two later: the replicas' election).
   */
  nodeTimeoutMs?: number;
  /** How long the cluster may take to come up, in ms; default 30 000. */
  startTimeoutMs?: number;
}

/** One node of a {@link TestRedisCluster}, with the role it was created in. */
export interface ClusterNode extends RedisProcess {
  readonly role: "master" | "replica";
}

/** A running test cluster. */
export interface TestRedisCluster {
  /** Every node: the masters first, then the replicas (of master 0, of master 1, …). */
  readonly nodes: readonly ClusterNode[];
  /** Where a client starts (every node). */
  readonly startupNodes: { host: string; port: number }[];
  /** A new ioredis `Cluster` connection; quit it before `stop()`. */
  connect(options?: ClusterOptions): Cluster;
  /** The hash slot of `key` (CLUSTER KEYSLOT). */
  slotOf(key: string): Promise<number>;
  /** The node serving `slot` as master now, as a live node sees it. */
  masterOf(slot: number): Promise<ClusterNode>;
  /**
   * Waits until every live node reports `cluster_state:ok` and the same master for `slot`, one that is not
   * `formerMaster` (a failover done); resolves to that master.
   *
   * @throws when that takes longer than `timeoutMs`.
   */
  waitForNewMaster(slot: number, formerMaster: ClusterNode, timeoutMs?: number): Promise<ClusterNode>;
  /** Stops every node (those already killed included) and removes their directories. */
  stop(): Promise<void>;
}

const host = "127.0.0.1";
const slotCount = 16_384;

/**
 * Starts a Redis Cluster on free loopback ports and waits until it is ready: every node sees every other,
 * reports `cluster_state:ok`, and each replica is in sync with its master. Ports taken meanwhile make it
 * start again elsewhere.
 *
 * @throws when redis-server is missing (never skipped), or the cluster does not come up.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<TestRedisCluster> {
  return retryOnTakenPorts(() => startOnFreePorts(options));
}

async function startOnFreePorts({
  masters = 3,
  replicas = 1,
  nodeTimeoutMs = 1_000,
  startTimeoutMs = 30_000,
}: RedisClusterOptions): Promise<TestRedisCluster> {
  const total = masters * (1 + replicas);
  const base = await freePortRange(total, { withBusPorts: true });
  const dir = await mkdtemp(join(tmpdir(), "kontist-auth-redis-cluster-"));
  const started: ClusterNode[] = [];
  const admins = new Map<number, Redis>();
  const cluster: TestRedisCluster = {
    nodes: started,
    startupNodes: Array.from({ length: total }, (_, index) => ({ host, port: base + index })),
    connect: (clusterOptions = {}) => new Cluster(cluster.startupNodes, clusterOptions),
    slotOf: async (key) => Number(await liveAdmin().call("CLUSTER", "KEYSLOT", key)),
    masterOf: async (slot) => nodeAt(masterPort(await slotsOf(liveAdmin()), slot)),
    async waitForNewMaster(slot, formerMaster, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const live = started.filter((node) => !node.exited);
        const views = await Promise.all(
          live.map(async (node) => {
            const admin = adminOf(node.port);
            const [info, slots] = await Promise.all([admin.call("CLUSTER", "INFO"), slotsOf(admin)]);
            return { ok: String(info).includes("cluster_state:ok"), master: masterPort(slots, slot) };
          }),
        ).catch(() => []);
        const master = views[0]?.master;
        const agreed =
          views.length === live.length && views.every((view) => view.ok && view.master === master);
        if (agreed && master !== undefined && master !== formerMaster.port) return nodeAt(master);
        if (Date.now() > deadline) {
          throw new Error(`no new master for slot ${slot} within ${timeoutMs} ms: ${JSON.stringify(views)}`);
        }
        await sleep(50);
      }
    },
    async stop() {
      for (const admin of admins.values()) admin.disconnect();
      await Promise.all(started.map((node) => node.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };

  function adminOf(port: number): Redis {
    let admin = admins.get(port);
    if (admin === undefined) {
      admin = new Redis({
        host,
        port,
        // Fail a command at once while disconnected (the poll tries again), but reconnect.
        maxRetriesPerRequest: 0,
        retryStrategy: () => 100,
        lazyConnect: true,
      });
      admin.on("error", () => {});
      admins.set(port, admin);
    }
    return admin;
  }
  function liveAdmin(): Redis {
    const node = started.find((candidate) => !candidate.exited);
    if (node === undefined) throw new Error("every node of the cluster has exited");
    return adminOf(node.port);
  }
  function nodeAt(port: number): ClusterNode {
    const node = started.find((candidate) => candidate.port === port);
    if (node === undefined) throw new Error(`no node of this cluster listens on ${port}`);
    return node;
  }

  try {
    const nodes = await Promise.all(
      Array.from({ length: total }, async (_, index) => {
        const port = base + index;
        const nodeDir = await mkdtemp(join(dir, `node-${port}-`));
        const args = [
          ...["--port", String(port), "--bind", host, "--dir", nodeDir],
          ...["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"],
          ...["--cluster-node-timeout", String(nodeTimeoutMs)],
          // A replica may always take over, however long it was cut off: a test kills masters on purpose.
          ...["--cluster-replica-validity-factor", "0"],
          ...["--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"],
        ];
        const server = await spawnRedisServer(args, port, { label: `cluster node ${port}` });
        const node: ClusterNode = Object.assign(server, {
          role: index < masters ? ("master" as const) : ("replica" as const),
        });
        started.push(node);
        return node;
      }),
    );
    started.sort((a, b) => a.port - b.port);
    await assemble(nodes, masters, replicas, adminOf, Date.now() + startTimeoutMs);
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/** Slots, meeting, replicas, then waits until every node agrees the cluster is whole and in sync. */
async function assemble(
  nodes: readonly ClusterNode[],
  masters: number,
  replicas: number,
  adminOf: (port: number) => Redis,
  deadline: number,
): Promise<void> {
  const [first] = nodes;
  if (first === undefined) throw new Error("a cluster needs a node");
  await Promise.all(
    nodes.map(async (node, index) => {
      const admin = adminOf(node.port);
      // Distinct config epochs, as redis-cli --cluster create assigns them: no collision to resolve.
      await admin.call("CLUSTER", "SET-CONFIG-EPOCH", String(index + 1));
      if (index < masters) {
        const start = Math.floor((index * slotCount) / masters);
        const end = Math.floor(((index + 1) * slotCount) / masters) - 1;
        await admin.call("CLUSTER", "ADDSLOTSRANGE", String(start), String(end));
      }
      if (index > 0) await admin.call("CLUSTER", "MEET", host, String(first.port));
    }),
  );
  await pollUntil(deadline, "every node to know every other", async () => {
    const views = await Promise.all(nodes.map((node) => clusterNodes(adminOf(node.port))));
    return views.every((view) => view.length === nodes.length && view.every((line) => !line.handshake));
  });
  const ids = await Promise.all(
    nodes.slice(0, masters).map(async (node) => String(await adminOf(node.port).call("CLUSTER", "MYID"))),
  );
  await Promise.all(
    nodes.slice(masters).map((node, index) => {
      const masterId = ids[Math.floor(index / replicas)];
      return adminOf(node.port).call("CLUSTER", "REPLICATE", String(masterId));
    }),
  );
  await pollUntil(deadline, "the cluster to be ok and its replicas in sync", async () => {
    const states = await Promise.all(
      nodes.map(async (node) => {
        const admin = adminOf(node.port);
        const [info, view, replication] = await Promise.all([
          admin.call("CLUSTER", "INFO"),
          clusterNodes(admin),
          admin.call("INFO", "replication"),
        ]);
        const replicasSeen = view.filter((line) => line.flags.includes("slave")).length;
        return (
          String(info).includes("cluster_state:ok") &&
          replicasSeen === nodes.length - masters &&
          (node.role === "master" || String(replication).includes("master_link_status:up"))
        );
      }),
    );
    return states.every(Boolean);
  });
}

interface ClusterNodesLine {
  port: number;
  flags: string[];
  handshake: boolean;
}

async function clusterNodes(admin: Redis): Promise<ClusterNodesLine[]> {
  const text = String(await admin.call("CLUSTER", "NODES"));
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [, address = "", flags = ""] = line.split(" ");
      const port = Number(address.split("@")[0]?.split(":").at(-1));
      const flagList = flags.split(",");
      return { port, flags: flagList, handshake: flagList.includes("handshake") };
    });
}

type SlotRanges = [number, number, [string, number, ...unknown[]], ...unknown[]][];

async function slotsOf(admin: Redis): Promise<SlotRanges> {
  return (await admin.call("CLUSTER", "SLOTS")) as SlotRanges;
}

function masterPort(ranges: SlotRanges, slot: number): number {
  const range = ranges.find(([start, end]) => start <= slot && slot <= end);
  if (range === undefined) throw new Error(`no master serves slot ${slot}`);
  return Number(range[2][1]);
}
