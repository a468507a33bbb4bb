import { HttpError, NetworkError, TimeoutError } from "@kontist-auth/client";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggedIn, type Sandbox, startSandbox } from "../test/sandboxSupport";

// The token lifecycle against the sandbox: one refresh for many concurrent callers, and refresh failures
// that reach every caller, keep the refresh token, and leave nothing stuck.

const viewerQuery = "{ viewer { id email } }";
const accessTokenTtl = 10; // seconds: ample for 1,000 requests on a busy 2-core machine after the refresh

describe("1,000 concurrent calls with an expired access token", () => {
  let plain: Sandbox;
  let rotating: Sandbox;
  beforeAll(async () => {
    [plain, rotating] = await Promise.all([
      startSandbox({ port: 0, accessTokenTtl }),
      startSandbox({ port: 0, accessTokenTtl, rotateRefreshTokens: true }),
    ]);
  });
  afterAll(() => Promise.all([plain?.close(), rotating?.close()]));

  it("cause exactly one refresh, and none fails even when refresh tokens rotate", async () => {
    const clients = await Promise.all(
      [plain, rotating].map((sandbox) => loggedIn(sandbox as Sandbox, undefined, { refreshLeeway: 0 })),
    );
    await sleep(accessTokenTtl * 1000 + 200);

    for (const [index, sandbox] of [plain, rotating].entries()) {
      const client = clients[index];
      if (!sandbox || !client) throw new Error("setup failed");
      expect(client.auth.tokenManager.token?.isExpired()).toBe(true);
      const before = await sandbox.test.grantCount("refresh_token");

      const results = await Promise.allSettled(
        Array.from({ length: 1_000 }, () => client.graphQL.rawQuery(viewerQuery)),
      );

      const failures = results.filter((result) => result.status === "rejected");
      expect(failures).toEqual([]);
      expect((await sandbox.test.grantCount("refresh_token")) - before).toBe(1);
    }
  }, 60_000);
});

describe("a refresh that fails", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, accessTokenTtl: 1 });
  });
  afterAll(() => sandbox.close());

  it.each([
    ["answers 500", { fault: "error" as const }, HttpError],
    ["resets the connection", { fault: "reset" as const }, NetworkError],
    ["times out", { fault: "delay" as const, delayMs: 3_000 }, TimeoutError],
  ])(
    "%s: every waiter gets a typed error, the refresh token stays, the next call refreshes",
    async (_name, fault, type) => {
      const client = await loggedIn(sandbox, undefined, { refreshLeeway: 0, timeout: 1_000 });
      const refreshToken = client.auth.tokenManager.token?.refreshToken;
      await sleep(1_100);
      const before = await sandbox.test.grantCount("refresh_token");
      await sandbox.test.injectFault({ route: "POST /api/oauth/token", times: 1, ...fault });

      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => client.graphQL.rawQuery(viewerQuery)),
      );

      for (const result of results) {
        expect(result.status).toBe("rejected");
        expect(result.status === "rejected" && result.reason).toBeInstanceOf(type);
      }
      expect((await sandbox.test.grantCount("refresh_token")) - before).toBe(1);
      expect(client.auth.tokenManager.token?.refreshToken).toBe(refreshToken);

      await expect(client.graphQL.rawQuery(viewerQuery)).resolves.toMatchObject({
        viewer: { email: "demo@example.com" },
      });
      expect((await sandbox.test.grantCount("refresh_token")) - before).toBe(2);
    },
  );
});
