import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "@kontist-auth/protocol";

// A real Redis for tests: the one at REDIS_URL, or a throwaway `redis-server` on a free loopback port.
// A missing redis-server fails the run, in CI and locally alike: these tests never skip.

/** A Redis the tests can use; `stop()` shuts it down if this helper started it (and does nothing otherwise). */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Whether this helper started the server (false when REDIS_URL was given). */
  started: boolean;
  stop(): Promise<void>;
}

/** The Debian package's binary, or `REDIS_SERVER` when set. */
const redisServerPath = () => process.env.REDIS_SERVER ?? "/usr/bin/redis-server";

/**
 * Uses `REDIS_URL` when set; otherwise starts `redis-server` on a free loopback port in a temporary
 * directory, with persistence off, and waits until it answers PING.
 *
 * @throws when redis-server is missing or does not come up within `startTimeoutMs`.
 */
export async function startRedisIfNeeded({ startTimeoutMs = 10_000 } = {}): Promise<TestRedis> {
  const given = process.env.REDIS_URL;
  if (given) {
    await waitForPing(given, startTimeoutMs);
    return { url: given, started: false, stop: async () => {} };
  }
  // A free port can be taken by someone else before redis-server binds it; try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startRedisServer(await freeLoopbackPort(), startTimeoutMs);
    } catch (error) {
      if (error instanceof RedisServerMissingError) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

class RedisServerMissingError extends Error {}

async function startRedisServer(port: number, startTimeoutMs: number): Promise<TestRedis> {
  const binary = redisServerPath();
  const dir = await mkdtemp(join(tmpdir(), "kontist-auth-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn(binary, [...args, "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  const url = `redis://127.0.0.1:${port}`;
  const failed = new Promise<never>((_, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new RedisServerMissingError(
              `${binary} not found: install the Debian package redis-server (scripts/install-system-deps.sh), ` +
                "or point REDIS_URL at a running Redis. The Redis tests never skip.",
            )
          : error,
      );
    });
    child.once("exit", (code, signal) => {
      reject(new Error(`redis-server exited (${signal ?? code}) before answering PING:\n${output}`));
    });
  });
  failed.catch(() => {});
  const stopWaiting = new AbortController();
  try {
    await Promise.race([waitForPing(url, startTimeoutMs, stopWaiting.signal), failed]);
  } catch (error) {
    stopWaiting.abort();
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  child.removeAllListeners("exit");
  return {
    url,
    started: true,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function freeLoopbackPort(): Promise<number> {
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

/** Sends PING over a raw socket until `+PONG` comes back; bounded by `timeoutMs`. */
async function waitForPing(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
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
