import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { sleep } from "@kontist-auth/protocol";

// One `redis-server` process for tests (a plain server, a cluster node, a replica, a sentinel), and what
// starting it needs: a free loopback port, a PING that says it is up. A missing redis-server fails the run,
// in CI and locally alike: the Redis tests never skip.

/** The Debian package's binary, or `REDIS_SERVER` when set. */
export const redisServerPath = (): string => process.env.REDIS_SERVER ?? "/usr/bin/redis-server";

/** redis-server is not installed: retrying on another port will not help. */
export class RedisServerMissingError extends Error {}

/** A `redis-server` this helper started. */
export interface RedisProcess {
  readonly port: number;
  readonly pid: number;
  /** Whether it has exited (killed, crashed). */
  readonly exited: boolean;
  /** Sends `signal` (SIGKILL by default) and resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s; resolves once it has exited. Harmless when it already has. */
  stop(): Promise<void>;
}

/**
 * Every redis-server this process started and has not seen exit: killed when this process exits, whatever
 * the tests did, so no server outlives the test run.
 */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const server of running) server.kill("SIGKILL");
  });
}

/** `setpriv`, when there is one: it makes the kernel kill the server should this process die (SIGKILL). */
let setprivPath: Promise<string | undefined> | undefined;
function parentDeathSignal(): Promise<string | undefined> {
  setprivPath ??= access("/usr/bin/setpriv", constants.X_OK).then(
    () => "/usr/bin/setpriv",
    () => undefined,
  );
  return setprivPath;
}

/**
 * Starts `redis-server <args…>` (listening on loopback `port`, which `args` must say) and waits until it
 * answers PING. Output is kept for the error message should it exit early.
 *
 * @throws {RedisServerMissingError} when redis-server is not installed.
 * @throws when it exits before answering (a port in use: "Address already in use"), or does not answer
 *   within `startTimeoutMs`.
 */
export async function spawnRedisServer(
  args: readonly string[],
  port: number,
  { startTimeoutMs = 10_000, label = "redis-server" } = {},
): Promise<RedisProcess> {
  const binary = redisServerPath();
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new RedisServerMissingError(
      `${binary} not found: install the Debian package redis-server (scripts/install-system-deps.sh), ` +
        "or point REDIS_URL at a running Redis. The Redis tests never skip.",
    );
  }
  const setpriv = await parentDeathSignal();
  const [command, commandArgs] = setpriv
    ? [setpriv, ["--pdeathsig", "KILL", "--", binary, ...args]]
    : [binary, [...args]];
  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", () => {
      exited = true;
      resolve();
    });
  });
  const failed = exit.then(() => {
    throw new Error(`${label} on port ${port} exited before answering PING:\n${output}`);
  });
  failed.catch(() => {});
  const stopWaiting = new AbortController();
  const server: RedisProcess = {
    port,
    pid: child.pid ?? -1,
    get exited() {
      return exited;
    },
    async kill(signal = "SIGKILL") {
      if (exited) return;
      child.kill(signal);
      await exit;
    },
    async stop() {
      if (exited) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.kill("SIGTERM");
      await exit;
      clearTimeout(timer);
    },
  };
  try {
    await Promise.race([
      waitForPing(`redis://127.0.0.1:${port}`, startTimeoutMs, stopWaiting.signal),
      failed,
    ]);
  } catch (error) {
    stopWaiting.abort();
    await server.kill();
    throw error;
  }
  return server;
}

/** A loopback port nobody listens on right now (the OS's pick, from the ephemeral range). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether every one of `ports` can be listened on at loopback right now. */
export async function loopbackPortsFree(ports: readonly number[]): Promise<boolean> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
  for (const port of ports) if (!(await free(port))) return false;
  return true;
}

/**
 * `count` consecutive loopback ports below 22 000 that are free, with their Redis Cluster bus ports
 * (port + 10 000) too if `withBusPorts`: all below 32 768, out of the ephemeral range another program's
 * outgoing connection could take. Picked at random in 17 000–21 999, so parallel runs rarely meet.
 *
 * @throws when 20 picks found none free.
 */
/**
 * Runs `start` (which picks free ports) up to 4 times: ports another process takes between the check and
 * the start make it fail, and the next try picks others.
 *
 * @throws {RedisServerMissingError} at once when redis-server is missing; else the last attempt's error.
 */
export async function retryOnTakenPorts<T>(start: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (error instanceof RedisServerMissingError) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export async function freePortRange(count: number, { withBusPorts = false } = {}): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 17_000 + Math.floor(Math.random() * (5_000 - count));
    const ports = Array.from({ length: count }, (_, index) => base + index);
    if (await loopbackPortsFree(withBusPorts ? [...ports, ...ports.map((port) => port + 10_000)] : ports)) {
      return base;
    }
  }
  throw new Error(`found no ${count} free loopback ports in 17000–21999`);
}

/** Sends PING over a raw socket until `+PONG` comes back; bounded by `timeoutMs`. */
export async function waitForPing(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const { hostname, port } = new URL(url);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && !signal?.aborted) {
    try {
      if (await ping(hostname.replace(/^\[|\]$/g, ""), Number(port || 6379))) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(50);
  }
  throw new Error(`Redis at ${url} did not answer PING within ${timeoutMs} ms`, { cause: lastError });
}

function ping(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let reply = "";
    socket.setTimeout(1_000, () => socket.destroy(new Error("PING timed out")));
    socket.once("error", reject);
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) {
        socket.end();
        // NOAUTH: a password-protected server that is up; the tests' own connection brings the password.
        resolve(reply.startsWith("+PONG") || reply.startsWith("-NOAUTH"));
      }
    });
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}

/**
 * Calls `check` every 50 ms until it resolves true (a rejection counts as "not yet").
 *
 * @throws when `deadline` (a `Date.now()` time) passes first, with the last rejection as the cause.
 */
export async function pollUntil(
  deadline: number,
  what: string,
  check: () => Promise<boolean>,
): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`, { cause: lastError });
}
