import {
  graphQLErrorExtensions,
  isKontistAuthError,
  type KontistAuthErrorCode,
} from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOAuthApi, type RefreshFailure, startFakeOAuthApi } from "../../test/fakeOAuthApi";
import { Client } from "../Client";
import { GraphQLError } from "../errors/GraphQLError";
import { NoTokenError } from "../errors/NoTokenError";
import { UnauthorizedError } from "../errors/UnauthorizedError";
import type { ClientOptions } from "../options/ClientOptions";

const token = "POST /api/oauth/token";
const graphql = "POST /api/graphql";
const query = "{ viewer { id } }";

let fake: FakeOAuthApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setUp(
  options: Parameters<typeof startFakeOAuthApi>[0] = {},
  clientOptions: Partial<ClientOptions> = {},
) {
  fake = await startFakeOAuthApi(options);
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s", ...clientOptions });
  return { fake, client, tokens: client.auth.tokenManager };
}

describe("renewal before a request", () => {
  it.each([
    ["without", false],
    ["with", true],
  ])(
    "1,000 concurrent calls with an expired access token cause exactly one refresh (%s rotating refresh tokens)",
    async (_, rotateRefreshTokens) => {
      const { fake, client, tokens } = await setUp({ rotateRefreshTokens, refreshDelay: 50 });
      tokens.setToken(fake.expiredAccessToken, fake.login().refreshToken);
      const results = await Promise.allSettled(
        Array.from({ length: 1000 }, () => client.graphQL.rawQuery(query)),
      );
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(fake.count(token)).toBe(1);
      // Renewed before sending: no request went out with the expired token.
      expect(fake.count(graphql)).toBe(1000);
      expect(fake.refusedRefreshTokens).toEqual([]);
    },
  );

  it("renews a token that expires within refreshLeeway (default 30 s), and not one that does not", async () => {
    const { fake, client, tokens } = await setUp({ expiresIn: 20 });
    const first = fake.login();
    tokens.setToken(first.accessToken, first.refreshToken);
    await client.graphQL.rawQuery(query);
    expect(fake.count(token)).toBe(1);
    expect(tokens.token?.accessToken).not.toBe(first.accessToken);

    const relaxed = new Client({
      baseUrl: fake.url,
      clientId: "c",
      clientSecret: "s",
      refreshLeeway: 10_000,
    });
    const second = fake.login();
    relaxed.auth.tokenManager.setToken(second.accessToken, second.refreshToken);
    await relaxed.graphQL.rawQuery(query);
    expect(fake.count(token)).toBe(1);
    expect(relaxed.auth.tokenManager.token?.accessToken).toBe(second.accessToken);
  });

  it("finding 7: a token living shorter than refreshLeeway is renewed once per half its lifetime, not on every call", async () => {
    // expires_in 20 s, leeway 30 s: without a clamp every call would find the token "about to expire".
    const { fake, client, tokens } = await setUp({ expiresIn: 20 });
    const first = fake.login();
    tokens.setToken(first.accessToken, first.refreshToken);
    await client.graphQL.rawQuery(query);
    expect(fake.count(token)).toBe(1);
    for (let call = 0; call < 5; call++) await client.graphQL.rawQuery(query);
    expect(fake.count(token)).toBe(1);
    expect(fake.count(graphql)).toBe(6);
  });

  it("sends an expired token as it is when it cannot be renewed, and reports the 401", async () => {
    const { fake, client, tokens } = await setUp();
    tokens.setToken(fake.expiredAccessToken);
    await expect(client.graphQL.rawQuery(query)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(fake.count(graphql)).toBe(1);
    expect(fake.count(token)).toBe(0);
  });

  it("throws NoTokenError without a token and sends nothing, unless the request allows anonymous sending", async () => {
    const { fake, client } = await setUp();
    await expect(client.request({ method: "GET", path: "/api/user/mfa/challenges" })).rejects.toBeInstanceOf(
      NoTokenError,
    );
    await expect(client.auth.device.list()).rejects.toBeInstanceOf(NoTokenError);
    expect(fake.requests).toHaveLength(0);
    // GraphQL's public queries go out without Authorization.
    await expect(client.graphQL.rawQuery(query)).resolves.toEqual({ public: true });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("uses a still valid token when renewing ahead of expiry fails, and tries again on the next call", async () => {
    const { fake, client, tokens } = await setUp({ expiresIn: 20 });
    const { accessToken, refreshToken } = fake.login();
    tokens.setToken(accessToken, refreshToken);
    fake.failRefreshes("500");
    await expect(client.graphQL.rawQuery(query)).resolves.toEqual({
      viewer: { id: "user-1", email: "demo@example.com" },
    });
    expect(tokens.token?.accessToken).toBe(accessToken);
    fake.failRefreshes(undefined);
    await client.graphQL.rawQuery(query);
    expect(fake.count(token)).toBe(2);
    expect(tokens.token?.accessToken).not.toBe(accessToken);
  });
});

describe("a failing refresh", () => {
  it.each<[RefreshFailure, KontistAuthErrorCode]>([
    ["500", "HTTP_ERROR"],
    ["hang", "TIMEOUT"],
    ["reset", "NETWORK_ERROR"],
    ["invalid_grant", "OAUTH2_ERROR"],
  ])(
    "(%s) rejects every waiting call with %s, keeps the refresh token, and the next call refreshes again",
    async (failure, code) => {
      const { fake, client, tokens } = await setUp({ rotateRefreshTokens: true }, { timeout: 300 });
      const { refreshToken } = fake.login();
      const stored = tokens.setToken(fake.expiredAccessToken, refreshToken);
      fake.failRefreshes(failure);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => client.graphQL.rawQuery(query)),
      );
      const reasons = results.map((result) => (result.status === "rejected" ? result.reason : "resolved"));
      expect(reasons.every((reason) => isKontistAuthError(reason, code))).toBe(true);
      // One refresh, one failure, delivered to all 50.
      expect(new Set(reasons).size).toBe(1);
      expect(fake.count(token)).toBe(1);
      expect(fake.count(graphql)).toBe(0);
      if (failure === "hang") await expect.poll(() => fake.abortedRequests()).toBe(1);
      expect(tokens.token).toBe(stored);
      expect(tokens.token?.refreshToken).toBe(refreshToken);

      fake.failRefreshes(undefined);
      await expect(client.graphQL.rawQuery(query)).resolves.toBeDefined();
      expect(fake.count(token)).toBe(2);
    },
  );
});

describe("a request answered 401", () => {
  it("is retried once after one refresh; 1,000 such calls share a single refresh", async () => {
    // The 401s arrive over 300 ms, most of them after the refresh has finished.
    const { fake, client, tokens } = await setUp({
      rotateRefreshTokens: true,
      refreshDelay: 10,
      unauthorizedDelay: () => Math.random() * 300,
    });
    const { accessToken, refreshToken } = fake.login();
    tokens.setToken(accessToken, refreshToken);
    fake.revokeAccessTokens(); // valid by its clock, refused by the API
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () => client.graphQL.rawQuery(query)),
    );
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(fake.count(token)).toBe(1);
    expect(fake.count(graphql)).toBe(2000);
    expect(fake.refusedRefreshTokens).toEqual([]);
  });

  it("is retried only once: a second 401 is an UnauthorizedError", async () => {
    const { fake, client, tokens } = await setUp();
    const { accessToken, refreshToken } = fake.login();
    tokens.setToken(accessToken, refreshToken);
    fake.graphQLAnswer = { status: 401, body: { message: "Token revoked", status: 401 } };
    const error = await client.graphQL.rawQuery(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401, serverMessage: "Token revoked" });
    expect(fake.count(graphql)).toBe(2);
    expect(fake.count(token)).toBe(1);
  });

  it("is not retried when the token cannot be renewed", async () => {
    const { fake, client, tokens } = await setUp();
    tokens.setToken(fake.login().accessToken);
    fake.revokeAccessTokens();
    await expect(client.graphQL.rawQuery(query)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(fake.count(graphql)).toBe(1);
    expect(fake.count(token)).toBe(0);
  });

  it("rejects with the refresh's error when the refresh after a 401 fails", async () => {
    const { fake, client, tokens } = await setUp();
    const { accessToken, refreshToken } = fake.login();
    tokens.setToken(accessToken, refreshToken);
    fake.revokeAccessTokens();
    fake.failRefreshes("invalid_grant");
    await expect(client.graphQL.rawQuery(query)).rejects.toMatchObject({
      code: "OAUTH2_ERROR",
      error: "invalid_grant",
    });
    expect(fake.count(graphql)).toBe(1);
    expect(tokens.token?.refreshToken).toBe(refreshToken);
  });
});

describe("a GraphQL answer with an error of extensions.status 401", () => {
  it("is retried once after one refresh, as a 401; 1,000 such calls share a single refresh", async () => {
    const { fake, client, tokens } = await setUp({
      rotateRefreshTokens: true,
      refreshDelay: 10,
      unauthorizedDelay: () => Math.random() * 300,
      graphQLUnauthorized: "extensions",
    });
    const { accessToken, refreshToken } = fake.login();
    tokens.setToken(accessToken, refreshToken);
    fake.revokeAccessTokens();
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () => client.graphQL.rawQuery(query)),
    );
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(fake.count(token)).toBe(1);
    expect(fake.count(graphql)).toBe(2000);
    expect(fake.refusedRefreshTokens).toEqual([]);
  });

  it("is retried only once: a second one is a GraphQLError with status 401", async () => {
    const { fake, client, tokens } = await setUp();
    const { accessToken, refreshToken } = fake.login();
    tokens.setToken(accessToken, refreshToken);
    fake.graphQLAnswer = {
      status: 200,
      body: { data: null, errors: [{ message: "Token expired", extensions: graphQLErrorExtensions(401) }] },
    };
    const error = await client.graphQL.rawQuery(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error).toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 401,
      type: "http://www.iana.org/assignments/http-status-codes#401",
    });
    expect(fake.count(graphql)).toBe(2);
    expect(fake.count(token)).toBe(1);
  });

  it("counts in an HTTP error status too, and not for other statuses", async () => {
    const { fake, client, tokens } = await setUp();
    const { accessToken, refreshToken } = fake.login();
    tokens.setToken(accessToken, refreshToken);
    fake.graphQLAnswer = {
      status: 401,
      body: { errors: [{ message: "Unauthorized", extensions: graphQLErrorExtensions(401) }] },
    };
    await expect(client.graphQL.rawQuery(query)).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 401,
    });
    expect(fake.count(graphql)).toBe(2);
    expect(fake.count(token)).toBe(1);
    fake.graphQLAnswer = {
      status: 200,
      body: { data: null, errors: [{ message: "Forbidden", extensions: graphQLErrorExtensions(403) }] },
    };
    await expect(client.graphQL.rawQuery(query)).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 403,
    });
    expect(fake.count(graphql)).toBe(3);
    expect(fake.count(token)).toBe(1);
  });
});
