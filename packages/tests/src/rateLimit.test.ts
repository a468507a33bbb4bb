import { Client } from "@kontist-auth/client";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confidentialClient, loggedIn, type Sandbox, startSandbox } from "../test/sandboxSupport";

// Kontist states a limit of under 100 requests a minute. With the sandbox enforcing such a limit (a 3 s
// window here instead of 60 s, to keep CI short), a burst of 150 idempotent calls completes: the calls
// over the limit get 429 with Retry-After, and the client waits and retries them within its cap.

const window = { requests: 100, windowMs: 3_000 };
const graphQLRoute = "POST /api/graphql";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, rateLimit: window });
});
afterAll(() => sandbox.close());

describe("a burst over Kontist's rate limit", () => {
  it("completes 150 concurrent GraphQL queries: the 429s are waited out, none reaches the caller", async () => {
    const client = await loggedIn(sandbox);
    const before = (await sandbox.test.stats()).requests[graphQLRoute] ?? 0;
    const results = await Promise.allSettled(
      Array.from({ length: 150 }, () => client.graphQL.rawQuery("{ viewer { id } }")),
    );
    const failures = results.filter((result) => result.status === "rejected");
    expect(failures).toEqual([]);
    // The sandbox saw more requests than calls: the ones over the limit were answered 429 and sent again.
    const sent = ((await sandbox.test.stats()).requests[graphQLRoute] ?? 0) - before;
    expect(sent).toBeGreaterThanOrEqual(150 + 50);
  }, 30_000);

  it("does not resend a mutation refused with 429: the caller gets the typed error", async () => {
    const client = await loggedIn(sandbox);
    // Spend this token's window through a second client of the same token that does not retry.
    const token = client.auth.tokenManager.token;
    if (!token) throw new Error("logged in without a token");
    const spender = new Client({ baseUrl: sandbox.url, ...confidentialClient, retry: false });
    spender.auth.tokenManager.setToken(token.accessToken, token.refreshToken);
    await Promise.allSettled(
      Array.from({ length: 110 }, () => spender.graphQL.rawQuery("{ viewer { id } }")),
    );
    const before = (await sandbox.test.stats()).requests[graphQLRoute] ?? 0;
    const error = await client.graphQL
      .rawQuery('mutation { createDeviceBindingRequest(deviceName: "x") { id } }')
      .catch((caught: unknown) => caught);
    expect(isKontistAuthError(error, "HTTP_ERROR") && error.status).toBe(429);
    expect(((await sandbox.test.stats()).requests[graphQLRoute] ?? 0) - before).toBe(1);
  }, 30_000);
});
