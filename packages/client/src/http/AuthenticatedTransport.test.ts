import type { ServerResponse } from "node:http";
import {
  graphQLErrorExtensions,
  isKontistAuthError,
  type KontistAuthErrorCode,
  paths,
} from "@kontist-auth/protocol";
import { defaultSeeds, type SandboxOptions } from "@kontist-auth/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { type ClientSandbox, noteRefusedTokenRequests, startClientSandbox } from "../../test/sandbox";
import { Client } from "../Client";
import { GraphQLError } from "../errors/GraphQLError";
import { NoTokenError } from "../errors/NoTokenError";
import { UnauthorizedError } from "../errors/UnauthorizedError";
import type { ClientOptions } from "../options/ClientOptions";
import { clientDefaults } from "../options/resolveClientOptions";
import { isDue } from "../renewal/isDue";

const token = "POST /api/oauth/token";
const graphql = "POST /api/graphql";
const query = "{ viewer { id email } }";
/**
 * A request the sandbox answers with HTTP 401 when it refuses the token (GraphQL answers 200 with an error
 * of `extensions.status` 401 instead, as Kontist does; see below).
 */
const challenges = { method: "GET", path: paths.mfaChallenges } as const;
const challengesRoute = "GET /api/user/mfa/challenges";

const [demoUser] = defaultSeeds.users;
/** An access token of the sandbox's user expiring at `exp` (seconds), not signed by the sandbox. */
const unsignedAccessToken = (exp: number) => fakeJwt({ sub: demoUser.id, scope: "users offline", exp });
/** An access token the client sees as expired: it renews it before sending anything. */
const expiredAccessToken = unsignedAccessToken(1_600_000_000);
/** An access token valid by its clock that the sandbox refuses: it did not sign it. */
const refusedAccessToken = unsignedAccessToken(1_900_000_000);

/** The sandbox (or loopback server) of the test, closed after it. */
let sandbox: ClientSandbox | undefined;
let server: LoopbackServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  await server?.close();
  sandbox = undefined;
  server = undefined;
});

/** A sandbox started with `options`, and a client signed in to it with `clientOptions`. */
async function setUp(options: SandboxOptions = {}, clientOptions: Partial<ClientOptions> = {}) {
  const refusedRefreshes: string[] = [];
  const at = await startClientSandbox({ ...options, ...noteRefusedTokenRequests(refusedRefreshes) });
  sandbox = at;
  const session = await at.signIn(clientOptions);
  return {
    sandbox: at,
    session,
    client: session.client,
    tokens: session.client.auth.tokenManager,
    /** Refreshes the sandbox received (refused ones included). */
    refreshes: () => at.test.grantCount("refresh_token"),
    /** Refreshes the sandbox refused (`invalid_grant`, e.g. a reused rotated refresh token). */
    refusedRefreshes,
  };
}

/** Spreads the answers to the next 1,000 requests to `route` over 300 ms. */
async function spreadOver300ms(at: ClientSandbox, route: string) {
  for (let delayMs = 0; delayMs < 300; delayMs += 30) {
    await at.test.injectFault({ route, fault: "delay", delayMs, times: 100 });
  }
}

/**
 * For answers the sandbox does not give (a scripted refusal after a renewal, a refresh that never answers
 * or fails and then works): a loopback server whose token endpoint renews any refresh token (unless
 * `refresh` says otherwise) and whose `POST /api/graphql` answers `answer`. Its client holds a token that
 * can be renewed.
 */
async function scriptedApi(options: {
  answer?: { status: number; body: unknown };
  refresh?: (response: ServerResponse) => boolean;
  timeout?: number;
}) {
  const answer = options.answer ?? { status: 200, body: { data: { viewer: { id: "user-1" } } } };
  let serial = 0;
  const api = await startLoopbackServer((request, response) => {
    if (request.url === paths.token) {
      if (options.refresh?.(response) === false) return;
      return sendJson(response, 200, {
        access_token: fakeJwt({
          sub: "user-1",
          scope: "users offline",
          exp: 1_900_000_000,
          jti: `at-${++serial}`,
        }),
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: `rt-${serial}`,
      });
    }
    sendJson(response, answer.status, answer.body);
  });
  server = api;
  const client = new Client({
    baseUrl: api.url,
    clientId: "c",
    clientSecret: "s",
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  });
  client.auth.tokenManager.setToken(
    fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 }),
    "rt-0",
  );
  const count = (endpoint: string) =>
    api.requests.filter((request) => `${request.method} ${request.url}` === endpoint).length;
  return { api, answer, client, tokens: client.auth.tokenManager, count };
}

describe("renewal before a request", () => {
  it.each([
    ["without", false],
    ["with", true],
  ])(
    "1,000 concurrent calls with an expired access token cause exactly one refresh (%s rotating refresh tokens)",
    async (_, rotateRefreshTokens) => {
      const { sandbox, session, client, tokens, refreshes, refusedRefreshes } = await setUp({
        rotateRefreshTokens,
      });
      await sandbox.test.injectFault({ route: token, fault: "delay", delayMs: 50 });
      tokens.setToken(expiredAccessToken, session.refreshToken);
      const results = await Promise.allSettled(
        Array.from({ length: 1000 }, () => client.graphQL.rawQuery(query)),
      );
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(await refreshes()).toBe(1);
      // Renewed before sending: no request went out with the expired token.
      expect(await session.received(graphql)).toBe(1000);
      expect(refusedRefreshes).toEqual([]);
    },
  );

  it("renews a token that expires within refreshLeeway (default 30 s), and not one that does not", async () => {
    const { sandbox, session, client, tokens, refreshes } = await setUp({ accessTokenTtl: 20 });
    // A token that expires in 20 s, of a lifetime the client cannot tell (it has no `iat`).
    const first = {
      accessToken: unsignedAccessToken(Math.floor(Date.now() / 1000) + 20),
      refreshToken: session.refreshToken,
    };
    tokens.setToken(first.accessToken, first.refreshToken);
    await client.graphQL.rawQuery(query);
    expect(await refreshes()).toBe(1);
    expect(tokens.token?.accessToken).not.toBe(first.accessToken);

    const relaxed = await sandbox.signIn({ refreshLeeway: 10_000 });
    const second = { accessToken: relaxed.accessToken, refreshToken: relaxed.refreshToken };
    relaxed.client.auth.tokenManager.setToken(second.accessToken, second.refreshToken);
    await relaxed.client.graphQL.rawQuery(query);
    expect(await refreshes()).toBe(1);
    expect(relaxed.client.auth.tokenManager.token?.accessToken).toBe(second.accessToken);
  });

  it("finding 7: a token living shorter than refreshLeeway is renewed once per half its lifetime, not on every call", async () => {
    // expires_in 20 s, leeway 30 s: without a clamp every call would find the token "about to expire".
    const { session, client, tokens, refreshes } = await setUp({ accessTokenTtl: 20 });
    const first = {
      accessToken: unsignedAccessToken(Math.floor(Date.now() / 1000) + 20),
      refreshToken: session.refreshToken,
    };
    tokens.setToken(first.accessToken, first.refreshToken);
    await client.graphQL.rawQuery(query);
    expect(await refreshes()).toBe(1);
    for (let call = 0; call < 5; call++) await client.graphQL.rawQuery(query);
    expect(await refreshes()).toBe(1);
    expect(await session.received(graphql)).toBe(6);
  });

  it("sends an expired token as it is when it cannot be renewed, and reports the 401", async () => {
    const { session, client, tokens, refreshes } = await setUp();
    tokens.setToken(expiredAccessToken);
    await expect(client.request(challenges)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await session.received(challengesRoute)).toBe(1);
    expect(await refreshes()).toBe(0);
  });

  it("throws NoTokenError without a token and sends nothing, unless the request allows anonymous sending", async () => {
    const { session, client, tokens } = await setUp();
    tokens.clearToken();
    await expect(client.request({ method: "GET", path: "/api/user/mfa/challenges" })).rejects.toBeInstanceOf(
      NoTokenError,
    );
    await expect(client.auth.device.list()).rejects.toBeInstanceOf(NoTokenError);
    expect(await session.received()).toBe(0);
    // GraphQL's public queries go out without Authorization.
    await expect(client.graphQL.rawQuery("{ __typename }")).resolves.toEqual({ __typename: "Query" });
    expect(await session.received()).toBe(1);
    expect(session.sent[0]?.headers.authorization).toBeUndefined();
  });

  it("uses a still valid token when renewing ahead of expiry fails, and tries again on the next call", async () => {
    // Tokens of 2 s: one is due for renewal (half its lifetime left) a second before it expires.
    const { sandbox, client, tokens, refreshes } = await setUp({ accessTokenTtl: 2 });
    const { accessToken } = tokens.token ?? { accessToken: "" };
    await sandbox.test.injectFault({ route: token, fault: "error", status: 500 });
    await expect
      .poll(() => tokens.token !== null && isDue(tokens.token, clientDefaults.refreshLeeway), {
        interval: 10,
      })
      .toBe(true);
    await expect(client.graphQL.rawQuery(query)).resolves.toEqual({
      viewer: { id: demoUser.id, email: "demo@example.com" },
    });
    expect(tokens.token?.accessToken).toBe(accessToken);
    await client.graphQL.rawQuery(query);
    expect(await refreshes()).toBe(2);
    expect(tokens.token?.accessToken).not.toBe(accessToken);
  });
});

/** Where a refresh fails: the sandbox with a fault armed, or a loopback server for what it cannot do. */
interface FailingRefresh {
  client: Client;
  refreshToken: string;
  refreshes(): Promise<number>;
  graphQLRequests(): Promise<number>;
  /** Requests the client closed before the server answered them. */
  abortedRequests(): number;
  /** Refreshes work again from now on. */
  heal(): Promise<void>;
}

/** The sandbox (rotating refresh tokens) failing every refresh with `fault` (500, or a reset connection). */
async function sandboxFailing(fault: "error" | "reset"): Promise<FailingRefresh> {
  const { sandbox, session, refreshes } = await setUp({ rotateRefreshTokens: true }, { timeout: 300 });
  await sandbox.test.injectFault({ route: token, fault, times: 1_000 });
  return {
    client: session.client,
    refreshToken: session.refreshToken,
    refreshes,
    graphQLRequests: () => session.received(graphql),
    abortedRequests: () => 0,
    heal: () => sandbox.test.clearFaults(),
  };
}

/**
 * A loopback server failing every refresh as the sandbox cannot: never answering (so the test sees the
 * request aborted), or with `invalid_grant` for a refresh token that works again later.
 */
async function loopbackFailing(failure: "hang" | "invalid_grant"): Promise<FailingRefresh> {
  let failing = true;
  const { api, client, count } = await scriptedApi({
    timeout: 300,
    refresh: (response) => {
      if (!failing) return true;
      if (failure === "invalid_grant") {
        sendJson(response, 400, { error: "invalid_grant", error_description: "Unknown refresh token" });
      }
      return false;
    },
  });
  return {
    client,
    refreshToken: "rt-0",
    refreshes: async () => count(token),
    graphQLRequests: async () => count(graphql),
    abortedRequests: () => api.abortedRequests(),
    heal: async () => {
      failing = false;
    },
  };
}

describe("a failing refresh", () => {
  it.each<[string, KontistAuthErrorCode, () => Promise<FailingRefresh>]>([
    ["500", "HTTP_ERROR", () => sandboxFailing("error")],
    ["hang", "TIMEOUT", () => loopbackFailing("hang")],
    ["reset", "NETWORK_ERROR", () => sandboxFailing("reset")],
    ["invalid_grant", "OAUTH2_ERROR", () => loopbackFailing("invalid_grant")],
  ])(
    "(%s) rejects every waiting call with %s, keeps the refresh token, and the next call refreshes again",
    async (failure, code, failingRefresh) => {
      const { client, refreshToken, refreshes, graphQLRequests, abortedRequests, heal } =
        await failingRefresh();
      const tokens = client.auth.tokenManager;
      const stored = tokens.setToken(expiredAccessToken, refreshToken);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => client.graphQL.rawQuery(query)),
      );
      const reasons = results.map((result) => (result.status === "rejected" ? result.reason : "resolved"));
      expect(reasons.every((reason) => isKontistAuthError(reason, code))).toBe(true);
      // One refresh, one failure, delivered to all 50.
      expect(new Set(reasons).size).toBe(1);
      expect(await refreshes()).toBe(1);
      expect(await graphQLRequests()).toBe(0);
      if (failure === "hang") await expect.poll(() => abortedRequests()).toBe(1);
      expect(tokens.token).toBe(stored);
      expect(tokens.token?.refreshToken).toBe(refreshToken);

      await heal();
      await expect(client.graphQL.rawQuery(query)).resolves.toBeDefined();
      expect(await refreshes()).toBe(2);
    },
  );
});

describe("a request answered 401", () => {
  it("is retried once after one refresh; 1,000 such calls share a single refresh", async () => {
    const { sandbox, session, client, tokens, refreshes, refusedRefreshes } = await setUp({
      rotateRefreshTokens: true,
    });
    // The 401s arrive over 300 ms, most of them after the refresh has finished.
    await spreadOver300ms(sandbox, challengesRoute);
    await sandbox.test.injectFault({ route: token, fault: "delay", delayMs: 10 });
    tokens.setToken(refusedAccessToken, session.refreshToken); // valid by its clock, refused by the API
    const results = await Promise.allSettled(Array.from({ length: 1000 }, () => client.request(challenges)));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(await refreshes()).toBe(1);
    expect(await session.received(challengesRoute)).toBe(2000);
    expect(refusedRefreshes).toEqual([]);
  });

  it("is retried only once: a second 401 is an UnauthorizedError", async () => {
    const { client, count } = await scriptedApi({
      answer: { status: 401, body: { message: "Token revoked", status: 401 } },
    });
    const error = await client.graphQL.rawQuery(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401, serverMessage: "Token revoked" });
    expect(count(graphql)).toBe(2);
    expect(count(token)).toBe(1);
  });

  it("is not retried when the token cannot be renewed", async () => {
    const { session, client, tokens, refreshes } = await setUp();
    tokens.setToken(refusedAccessToken);
    await expect(client.request(challenges)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await session.received(challengesRoute)).toBe(1);
    expect(await refreshes()).toBe(0);
  });

  it("rejects with the refresh's error when the refresh after a 401 fails", async () => {
    const { session, client, tokens } = await setUp();
    // A refresh token the sandbox never issued: it answers invalid_grant.
    const refreshToken = "rt-the-sandbox-never-issued";
    tokens.setToken(refusedAccessToken, refreshToken);
    await expect(client.request(challenges)).rejects.toMatchObject({
      code: "OAUTH2_ERROR",
      error: "invalid_grant",
    });
    expect(await session.received(challengesRoute)).toBe(1);
    expect(tokens.token?.refreshToken).toBe(refreshToken);
  });
});

describe("a GraphQL answer with an error of extensions.status 401", () => {
  it("is retried once after one refresh, as a 401; 1,000 such calls share a single refresh", async () => {
    const { sandbox, session, client, tokens, refreshes, refusedRefreshes } = await setUp({
      rotateRefreshTokens: true,
    });
    await spreadOver300ms(sandbox, graphql);
    await sandbox.test.injectFault({ route: token, fault: "delay", delayMs: 10 });
    tokens.setToken(refusedAccessToken, session.refreshToken); // valid by its clock, refused by the API
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () => client.graphQL.rawQuery(query)),
    );
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(await refreshes()).toBe(1);
    expect(await session.received(graphql)).toBe(2000);
    expect(refusedRefreshes).toEqual([]);
  });

  it("is retried only once: a second one is a GraphQLError with status 401", async () => {
    const { client, count } = await scriptedApi({
      answer: {
        status: 200,
        body: { data: null, errors: [{ message: "Token expired", extensions: graphQLErrorExtensions(401) }] },
      },
    });
    const error = await client.graphQL.rawQuery(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error).toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 401,
      type: "http://www.iana.org/assignments/http-status-codes#401",
    });
    expect(count(graphql)).toBe(2);
    expect(count(token)).toBe(1);
  });

  it("counts in an HTTP error status too, and not for other statuses", async () => {
    const { answer, client, count } = await scriptedApi({
      answer: {
        status: 401,
        body: { errors: [{ message: "Unauthorized", extensions: graphQLErrorExtensions(401) }] },
      },
    });
    await expect(client.graphQL.rawQuery(query)).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 401,
    });
    expect(count(graphql)).toBe(2);
    expect(count(token)).toBe(1);
    Object.assign(answer, {
      status: 200,
      body: { data: null, errors: [{ message: "Forbidden", extensions: graphQLErrorExtensions(403) }] },
    });
    await expect(client.graphQL.rawQuery(query)).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 403,
    });
    expect(count(graphql)).toBe(3);
    expect(count(token)).toBe(1);
  });
});
