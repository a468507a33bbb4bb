import { clientDefaults } from "@kontist-auth/client";

/** What an instance needs to know, read from the environment by {@link readConfig}. */
export interface ExampleConfig {
  /** `KONTIST_BASE_URL`, default `https://api.kontist.com`; the sandbox's URL in development. */
  baseUrl: string;
  /** `KONTIST_CLIENT_ID` (required). */
  clientId: string;
  /** `KONTIST_CLIENT_SECRET` (required): a confidential client, so it may refresh. */
  clientSecret: string;
  /** `REDIS_URL`, default `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** `TOKEN_STORE_KEY`, default `kontist-auth:<clientId>`: the one entry every instance shares. */
  tokenStoreKey: string;
  /** `REFRESH_LEEWAY_MS`, default 30 000: renew this long before expiry (keep it below the token's lifetime). */
  refreshLeeway: number;
  /** `HOST`, default `127.0.0.1`. */
  host: string;
  /** `PORT`, default `3000`; `0` picks a free port. */
  port: number;
}

/**
 * Reads the instance's configuration from `env`.
 *
 * @throws {Error} naming every missing or malformed variable (never echoing a value).
 *
 * @example
 * const config = readConfig(process.env);
 */
export function readConfig(env: NodeJS.ProcessEnv): ExampleConfig {
  const problems: string[] = [];
  const required = (name: string) => {
    const value = env[name];
    if (!value) problems.push(`${name} is not set`);
    return value ?? "";
  };
  const number = (name: string, fallback: number) => {
    const text = env[name];
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) problems.push(`${name} must be a whole number ≥ 0`);
    return value;
  };

  const clientId = required("KONTIST_CLIENT_ID");
  const config: ExampleConfig = {
    baseUrl: env.KONTIST_BASE_URL || clientDefaults.baseUrl,
    clientId,
    clientSecret: required("KONTIST_CLIENT_SECRET"),
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    tokenStoreKey: env.TOKEN_STORE_KEY || clientDefaults.tokenStoreKey(clientId),
    refreshLeeway: number("REFRESH_LEEWAY_MS", clientDefaults.refreshLeeway),
    host: env.HOST || "127.0.0.1",
    port: number("PORT", 3000),
  };
  if (problems.length > 0) throw new Error(`Bad configuration: ${problems.join("; ")}.`);
  return config;
}
