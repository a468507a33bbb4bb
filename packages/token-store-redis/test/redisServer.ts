import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPort, RedisServerMissingError, spawnRedisServer, waitForPing } from "./redisProcess";

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

async function startRedisServer(port: number, startTimeoutMs: number): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), "kontist-auth-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  try {
    const server = await spawnRedisServer([...args, "--dir", dir], port, { startTimeoutMs });
    return {
      url: `redis://127.0.0.1:${port}`,
      started: true,
      async stop() {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
