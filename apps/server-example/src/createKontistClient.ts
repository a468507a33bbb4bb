import { Client } from "@kontist-auth/client";
import { redisStore } from "@kontist-auth/token-store-redis";
import { Redis } from "ioredis";
import type { ExampleConfig } from "./readConfig";

/**
 * The one Kontist client of an instance (and of the login script): its token lives in Redis under
 * `config.tokenStoreKey`, so every instance configured alike uses, and renews, the same token. When it
 * is due, one instance refreshes it under the store's lock and the others adopt the stored result.
 *
 * The caller owns the Redis connection: `redis.quit()` when shutting down.
 *
 * @example
 * const { client, redis } = createKontistClient(readConfig(process.env));
 * const { viewer } = await client.graphQL.rawQuery("{ viewer { email } }");
 */
export function createKontistClient(config: ExampleConfig): { client: Client; redis: Redis } {
  // A Redis outage should surface as a TOKEN_STORE_ERROR (a 503) quickly, not after ioredis' 20 retries.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  // Connection errors only (ioredis reconnects on its own); they carry no command arguments, so no token.
  redis.on("error", (error: Error) => console.error(`Redis: ${error.message}`));
  const client = new Client({
    baseUrl: config.baseUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scopes: ["users", "offline"], // `offline`: a refresh token, so the fleet can renew on its own
    tokenStore: redisStore(redis), // the token lives in Redis, shared by every instance...
    tokenStoreKey: config.tokenStoreKey, // ...under this key: one per client id and Kontist user
    refreshLeeway: config.refreshLeeway,
  });
  return { client, redis };
}
