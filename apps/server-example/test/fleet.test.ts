import { randomUUID } from "node:crypto";
import { sleep } from "@kontist-auth/protocol";
import { redisStore } from "@kontist-auth/token-store-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExampleProcess } from "./ExampleProcess";
import { type ExampleServices, startExampleServices } from "./exampleServices";

// The example as it is deployed: a login script leaves one token in a real Redis, then three instances
// (real Node processes) serve requests with it. Once it has expired, 3 × 50 concurrent requests renew it
// with exactly one refresh between them.

const instances = 3;
const requestsPerInstance = 50;
/** Seconds; the burst after the refresh must end well within the renewed token's lifetime. */
const accessTokenTtl = 20;

let services: ExampleServices;
let sandbox: ExampleServices["sandbox"];
let redis: ExampleServices["redis"];
const tokenStoreKey = `server-example-test:${randomUUID()}`;
const running: ExampleProcess[] = [];

function envFor(): Record<string, string> {
  return services.env();
}

async function refreshGrants(): Promise<number> {
  return sandbox.test.grantCount("refresh_token");
}

beforeAll(async () => {
  services = await startExampleServices(tokenStoreKey, accessTokenTtl);
  ({ sandbox, redis } = services);
});
afterAll(() => services?.stop(running));

describe("server-example: instances sharing a token through Redis", () => {
  it("renews an expired token once for 3 × 50 concurrent requests, answers /account 403, leaks no token", async () => {
    const store = redisStore(redis);

    // The one-time login, as an operator runs it.
    const login = new ExampleProcess("src/login.ts", {
      ...envFor(),
      KONTIST_USERNAME: "demo@example.com",
      KONTIST_PASSWORD: "demo-password",
    });
    running.push(login);
    expect(await login.exitCode(20_000), login.output).toBe(0);
    const loggedIn = await store.get(tokenStoreKey);
    const expiresAt = loggedIn?.expiresAt;
    if (expiresAt === undefined) throw new Error("login.ts stored no token with an expiry");

    // Start the instances while the token runs out; none touches it before its first request.
    const fleet = Array.from({ length: instances }, () => new ExampleProcess("src/main.ts", envFor()));
    running.push(...fleet);
    const urls = await Promise.all(fleet.map((instance) => instance.url(20_000)));
    await sleep(Math.max(0, expiresAt - Date.now()) + 200);
    const before = await refreshGrants();

    const answers = await Promise.all(
      urls.flatMap((url) =>
        Array.from({ length: requestsPerInstance }, async () => {
          const response = await fetch(`${url}/me`, { signal: AbortSignal.timeout(15_000) });
          return { status: response.status, body: await response.text() };
        }),
      ),
    );

    const refreshes = (await refreshGrants()) - before;
    console.info(
      `server-example: ${answers.length} requests over ${instances} instances, ${refreshes} refresh(es)`,
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(instances * requestsPerInstance).fill(200));
    expect(new Set(answers.map((answer) => JSON.parse(answer.body).email))).toEqual(
      new Set(["demo@example.com"]),
    );
    expect(refreshes).toBe(1);
    const renewed = await store.get(tokenStoreKey);
    expect(renewed?.expiresAt).toBeGreaterThan(expiresAt);

    // The password grant gives an unconfirmed token: banking data is refused, as JSON with a code.
    const accounts = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${url}/account`, { signal: AbortSignal.timeout(15_000) });
        return {
          status: response.status,
          type: response.headers.get("content-type"),
          body: await response.text(),
        };
      }),
    );
    for (const account of accounts) {
      expect(account.status).toBe(403);
      expect(account.type).toBe("application/json");
      expect(JSON.parse(account.body)).toMatchObject({ code: "CONFIRMATION_REQUIRED" });
    }

    // No answer and no line of output carries a token.
    const secrets = [
      loggedIn?.accessToken,
      loggedIn?.refreshToken,
      renewed?.accessToken,
      renewed?.refreshToken,
    ];
    const everything = [...answers, ...accounts].map((answer) => answer.body).join("\n");
    const logs = [login, ...fleet].map((process) => process.output).join("\n");
    for (const secret of secrets.filter((value): value is string => typeof value === "string")) {
      expect(everything).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }

    // SIGTERM: each instance closes its server and its Redis connection, and exits cleanly.
    for (const instance of fleet) instance.signal("SIGTERM");
    expect(await Promise.all(fleet.map((instance) => instance.exitCode(10_000)))).toEqual(
      Array(instances).fill(0),
    );
  }, 90_000);
});
