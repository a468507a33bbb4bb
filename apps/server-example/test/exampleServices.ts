import { startSandbox } from "@kontist-auth/sandbox";
import { connectRedis, startRedisIfNeeded } from "../../../packages/token-store-redis/test/index";
import type { ExampleProcess } from "./ExampleProcess";

/** What the example's processes run against in a test: a sandbox and a real Redis holding one token. */
export interface ExampleServices {
  sandbox: Awaited<ReturnType<typeof startSandbox>>;
  redis: ReturnType<typeof connectRedis>;
  /** What every process of the example gets: the sandbox, Redis and the shared token's key. */
  env(): Record<string, string>;
  /** Kills `processes`, deletes the token and its lock from Redis, stops the sandbox and Redis. */
  stop(processes: readonly ExampleProcess[]): Promise<void>;
}

/**
 * Starts a sandbox whose access tokens live `accessTokenTtl` seconds and a Redis (the one the test setup
 * provides, or a new one), for processes sharing the token under `tokenStoreKey`.
 */
export async function startExampleServices(
  tokenStoreKey: string,
  accessTokenTtl: number,
): Promise<ExampleServices> {
  const [sandbox, testRedis] = await Promise.all([
    startSandbox({ port: 0, accessTokenTtl }),
    startRedisIfNeeded(),
  ]);
  const redis = connectRedis(testRedis.url);
  return {
    sandbox,
    redis,
    env: () => ({
      KONTIST_BASE_URL: sandbox.url,
      KONTIST_CLIENT_ID: "demo-client",
      KONTIST_CLIENT_SECRET: "demo-secret",
      REDIS_URL: testRedis.url,
      TOKEN_STORE_KEY: tokenStoreKey,
      REFRESH_LEEWAY_MS: "1000",
      PORT: "0",
    }),
    async stop(processes) {
      await Promise.all(processes.map((process) => process.kill()));
      await redis.del(`kontist-auth:token:${tokenStoreKey}`, `kontist-auth:lock:${tokenStoreKey}`);
      redis.disconnect();
      await Promise.all([sandbox.close(), testRedis.stop()]);
    },
  };
}
