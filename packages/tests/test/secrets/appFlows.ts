import { randomUUID } from "node:crypto";
import { sleep } from "@kontist-auth/protocol";
import { redisStore } from "@kontist-auth/token-store-redis";
import { connectRedis, type TestRedis } from "../../../token-store-redis/test/index";
import { confidentialClient, demoUser } from "../sandboxSupport";
import { CapturedProcess } from "./CapturedProcess";
import type { HygieneContext, HygieneTarget } from "./FlowRun";

// The programs a user or operator runs, as real Node processes from their TypeScript sources: the CLI's
// demo (`pnpm demo`), the sandbox binary (`pnpm sandbox`) and the server example's login script and
// server (`pnpm kontist-login`, `pnpm start`). Their stdout and stderr, and the server's HTTP answers,
// go to the capture; the secrets their clients use go to the ledger (see CapturedProcess).

const startTimeoutMs = 30_000;

/** `pnpm demo`: the whole flow against its embedded sandbox; resolves with its exit code. */
export async function runDemo(context: HygieneContext): Promise<number | null> {
  const demo = new CapturedProcess(
    { name: "demo", cwd: "apps/cli", args: ["src/bin.ts", "demo"] },
    context.capture,
    context.ledger,
  );
  return demo.exitCode(startTimeoutMs * 2);
}

/** `kontist-sandbox --port 0`, logging each request to its stdout; stop it with `stop()`. */
export async function startSandboxBinary(context: HygieneContext) {
  const child = new CapturedProcess(
    { name: "kontist-sandbox", cwd: "packages/sandbox", args: ["src/bin.ts", "--port", "0"] },
    context.capture,
    context.ledger,
  );
  const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/, startTimeoutMs);
  return { url: url ?? "", stop: () => child.stop("SIGTERM") };
}

/** An HTTP GET of the server example, its answer added to the capture as its callers see it. */
async function get(context: HygieneContext, base: string, path: string): Promise<number> {
  const response = await fetch(new URL(path, base));
  const body = await response.text();
  context.capture.add("server-example: HTTP answers", `GET ${path} ${response.status} ${body}`);
  return response.status;
}

/**
 * The server example against `target` (whose access tokens should live about a second, so the server
 * renews them): started before any login (no token), a failed and a good login, its routes, a 503 and a
 * reset injected on GraphQL, a renewal that fails, and a SIGTERM. Returns the statuses it answered.
 */
export async function serverExampleFlows(
  target: HygieneTarget,
  redis: TestRedis,
  context: HygieneContext,
): Promise<Record<string, number>> {
  const tokenStoreKey = `secret-hygiene:${randomUUID()}`;
  const env = {
    KONTIST_BASE_URL: target.url,
    KONTIST_CLIENT_ID: confidentialClient.clientId,
    KONTIST_CLIENT_SECRET: confidentialClient.clientSecret,
    REDIS_URL: redis.url,
    TOKEN_STORE_KEY: tokenStoreKey,
    REFRESH_LEEWAY_MS: "200",
    PORT: "0",
  };
  const script = (name: string, file: string, extra: Record<string, string> = {}) =>
    new CapturedProcess(
      { name, cwd: "apps/server-example", args: [file], env: { ...env, ...extra } },
      context.capture,
      context.ledger,
    );
  const statuses: Record<string, number> = {};
  const server = script("server-example", "src/main.ts");
  const connection = connectRedis(redis.url);
  try {
    const [, base = ""] = await server.waitFor(/listening on (http:\/\/\S+)/, startTimeoutMs);
    statuses["/me without a login"] = await get(context, base, "/me");

    const wrongPassword = `wrong-password-${randomUUID()}`;
    context.ledger.add("password", wrongPassword);
    const credentials = (password: string) => ({
      KONTIST_USERNAME: demoUser.username,
      KONTIST_PASSWORD: password,
    });
    const [failed, loggedIn] = await Promise.all([
      script("server-example login, wrong password", "src/login.ts", credentials(wrongPassword)).exitCode(
        startTimeoutMs,
      ),
      script("server-example login", "src/login.ts", credentials(demoUser.password)).exitCode(startTimeoutMs),
    ]);
    statuses["login, wrong password (exit code)"] = failed ?? -1;
    statuses["login (exit code)"] = loggedIn ?? -1;

    statuses["/healthz"] = await get(context, base, "/healthz");
    statuses["/me"] = await get(context, base, "/me");
    statuses["/account"] = await get(context, base, "/account");
    await target.test.injectFault({ route: "POST /api/graphql", fault: "error", status: 503, times: 10 });
    statuses["/me, GraphQL 503"] = await get(context, base, "/me");
    await target.test.clearFaults();
    await target.test.injectFault({ route: "POST /api/graphql", fault: "reset", times: 10 });
    statuses["/me, GraphQL reset"] = await get(context, base, "/me");
    await target.test.clearFaults();
    await sleep(1_200);
    await target.test.injectFault({ route: "POST /api/oauth/token", fault: "reset", times: 10 });
    statuses["/me, renewal reset"] = await get(context, base, "/me");
    await target.test.clearFaults();
    statuses["/me, after the faults"] = await get(context, base, "/me");
    statuses["/nothing"] = await get(context, base, "/nothing");

    const stored = await redisStore(connection).get(tokenStoreKey);
    context.ledger.add("access token", stored?.accessToken);
    context.ledger.add("refresh token", stored?.refreshToken);
  } finally {
    await target.test.clearFaults();
    statuses["SIGTERM (exit code)"] = (await server.stop("SIGTERM")) ?? -1;
    await connection.del(`kontist-auth:token:${tokenStoreKey}`, `kontist-auth:lock:${tokenStoreKey}`);
    connection.disconnect();
  }
  return statuses;
}
