import { graphQLErrorExtensions, isKontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
import { memoryStore } from "@kontist-auth/token-store";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOAuthApi, startFakeOAuthApi } from "../../test/fakeOAuthApi";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import { GraphQLError } from "../errors/GraphQLError";
import { HttpError } from "../errors/HttpError";
import { NoTokenError } from "../errors/NoTokenError";
import { UnauthorizedError } from "../errors/UnauthorizedError";

let fake: FakeOAuthApi | undefined;
let server: LoopbackServer | undefined;
afterEach(async () => {
  await fake?.close();
  await server?.close();
  fake = undefined;
  server = undefined;
});

async function loggedIn() {
  fake = await startFakeOAuthApi();
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s" });
  const { accessToken, refreshToken } = fake.login();
  client.auth.tokenManager.setToken(accessToken, refreshToken);
  return { fake, client, accessToken };
}

describe("GraphQLClient.rawQuery", () => {
  it("posts the query and variables with the access token and returns data", async () => {
    const { fake, client, accessToken } = await loggedIn();
    const data = await client.graphQL.rawQuery<{ viewer: { id: string } }>(
      "query ($n: Int) { viewer { id } }",
      {
        n: 1,
      },
    );
    expect(data.viewer.id).toBe("user-1");
    const [request] = fake.requests;
    expect(request?.url).toBe("/api/graphql");
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(JSON.parse(request?.body ?? "")).toEqual({
      query: "query ($n: Int) { viewer { id } }",
      variables: { n: 1 },
    });
    await client.graphQL.rawQuery("{ viewer { id } }");
    expect(JSON.parse(fake.requests[1]?.body ?? "")).toEqual({ query: "{ viewer { id } }" });
  });

  it("turns errors in the envelope into a GraphQLError listing the messages, with the partial data", async () => {
    const { fake, client, accessToken } = await loggedIn();
    fake.graphQLAnswer = {
      status: 200,
      body: {
        data: { viewer: { id: "user-1", mainAccount: null } },
        errors: [
          { message: "mainAccount needs a confirmed token", path: ["viewer", "mainAccount"] },
          { message: `Bad token ${accessToken}`, extensions: { token: accessToken } },
        ],
      },
    };
    const error = await client.graphQL
      .rawQuery("{ viewer { id mainAccount { iban } } }")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(isKontistAuthError(error, "GRAPHQL_ERROR")).toBe(true);
    const graphQLError = error as GraphQLError;
    expect(graphQLError.code).toBe("GRAPHQL_ERROR");
    expect(graphQLError.status).toBeUndefined();
    expect(graphQLError.message).toBe(
      "POST /api/graphql answered with 2 GraphQL errors: mainAccount needs a confirmed token; Bad token [redacted]",
    );
    expect(graphQLError.errors.map((entry) => entry.message)).toEqual([
      "mainAccount needs a confirmed token",
      "Bad token [redacted]",
    ]);
    expect(graphQLError.errors[0]?.path).toEqual(["viewer", "mainAccount"]);
    expect(graphQLError.errors[0]).toMatchObject({ status: undefined, type: undefined });
    expect(graphQLError.type).toBeUndefined();
    expect(JSON.stringify(graphQLError.errors)).not.toContain(accessToken);
    expect(graphQLError.data).toEqual({ viewer: { id: "user-1", mainAccount: null } });
  });

  it("reads a GraphQLError from a 400 envelope, and an HttpError from another error body", async () => {
    const { fake, client } = await loggedIn();
    fake.graphQLAnswer = { status: 400, body: { errors: [{ message: 'Cannot query field "x"' }] } };
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 400,
      data: undefined,
    });
    fake.graphQLAnswer = { status: 503, body: { message: "Maintenance", status: 503 } };
    const error = await client.graphQL.rawQuery("{ x }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, serverMessage: "Maintenance" });
  });

  it("refuses an answer without data or errors", async () => {
    const { fake, client } = await loggedIn();
    fake.graphQLAnswer = { status: 200, body: {} };
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      field: "data",
    });
    fake.graphQLAnswer = { status: 200, body: { data: "nope" } };
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).rejects.toBeInstanceOf(
      ResponseValidationError,
    );
  });

  it("refuses an empty query or one of 10,000 characters, sending nothing", async () => {
    const { fake, client } = await loggedIn();
    await expect(client.graphQL.rawQuery("  ")).rejects.toThrow(TypeError);
    await expect(client.graphQL.rawQuery(`{ viewer { id } }${" ".repeat(9_983)}`)).rejects.toThrow(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("GraphQLError status and type", () => {
  it("reads extensions.status and extensions.type of each error, and of the first for the error as a whole", async () => {
    const { fake, client } = await loggedIn();
    fake.graphQLAnswer = {
      status: 200,
      body: {
        data: { viewer: { id: "user-1", mainAccount: null } },
        errors: [
          {
            message: "Needs a confirmed token",
            path: ["viewer", "mainAccount"],
            extensions: graphQLErrorExtensions(403),
          },
          {
            message: "Not found",
            extensions: {
              status: 404,
              type: "http://www.iana.org/assignments/http-status-codes#404",
              code: "X",
            },
          },
          { message: "Odd", extensions: { status: "500", type: 7 } },
        ],
      },
    };
    const error = (await client.graphQL
      .rawQuery("{ viewer { id mainAccount { iban } } }")
      .catch((e: unknown) => e)) as GraphQLError;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.status).toBe(403);
    expect(error.type).toBe("http://www.iana.org/assignments/http-status-codes#403");
    expect(error.errors).toEqual([
      {
        message: "Needs a confirmed token",
        path: ["viewer", "mainAccount"],
        extensions: graphQLErrorExtensions(403),
        status: 403,
        type: "http://www.iana.org/assignments/http-status-codes#403",
      },
      {
        message: "Not found",
        extensions: { status: 404, type: "http://www.iana.org/assignments/http-status-codes#404", code: "X" },
        status: 404,
        type: "http://www.iana.org/assignments/http-status-codes#404",
      },
      { message: "Odd", extensions: { status: "500", type: 7 }, status: undefined, type: undefined },
    ]);
    expect(error.toJSON()).toMatchObject({ code: "GRAPHQL_ERROR", status: 403, type: error.type });
  });

  it("takes extensions.status over the HTTP status, and the HTTP status (not 200) when there is none", async () => {
    const { fake, client } = await loggedIn();
    fake.graphQLAnswer = {
      status: 400,
      body: { errors: [{ message: "Bad variables", extensions: graphQLErrorExtensions(422) }] },
    };
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({
      status: 422,
      type: expect.stringMatching(/#422$/),
    });
    fake.graphQLAnswer = { status: 400, body: { errors: [{ message: "Bad query" }] } };
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({ status: 400, type: undefined });
    fake.graphQLAnswer = { status: 200, body: { errors: [{ message: "Boom" }] } };
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({
      status: undefined,
      type: undefined,
    });
  });
});

describe("a Client without a token, or without a clientId", () => {
  it("sends public queries without Authorization, and the token once it has one", async () => {
    fake = await startFakeOAuthApi();
    const client = new Client({ baseUrl: fake.url });
    await expect(client.graphQL.rawQuery("{ public }")).resolves.toEqual({ public: true });
    expect(fake.requests[0]?.headers).not.toHaveProperty("authorization");

    const { accessToken } = fake.login();
    client.auth.tokenManager.setToken(accessToken);
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).resolves.toMatchObject({
      viewer: { id: "user-1" },
    });
    expect(fake.requests[1]?.headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it("still throws NoTokenError for every call that needs a token, sending nothing", async () => {
    fake = await startFakeOAuthApi();
    const client = new Client({ baseUrl: fake.url });
    const calls = [
      client.request({ method: "GET", path: "/api/user/mfa/challenges" }),
      client.auth.device.list(),
      client.auth.device.requestBinding({ name: "d" }),
      client.auth.device.createDeviceChallenge("d"),
      client.auth.push.getConfirmedToken(),
      client.auth.tokenManager.getValidToken(),
    ];
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(NoTokenError);
    expect(fake.requests).toHaveLength(0);
  });

  it("throws a TypeError naming clientId when a call needs one, at call time and sending nothing", async () => {
    fake = await startFakeOAuthApi();
    const client = new Client({ baseUrl: fake.url, redirectUri: "http://localhost:3000/callback" });
    const { tokenManager } = client.auth;
    await expect(tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" })).rejects.toThrow(
      /clientId/,
    );
    await expect(tokenManager.getAuthUri()).rejects.toThrow(TypeError);
    tokenManager.setToken(fake.login().accessToken, "rt-1");
    const error = await tokenManager.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/clientId/);
    expect(fake.requests).toHaveLength(0);
  });

  it("loads the stored token first when it has a token store", async () => {
    fake = await startFakeOAuthApi();
    const tokenStore = memoryStore();
    const { accessToken } = fake.login();
    const writer = new Client({ baseUrl: fake.url, tokenStore });
    writer.auth.tokenManager.setToken(accessToken);
    await writer.auth.tokenManager.flush();

    const reader = new Client({ baseUrl: fake.url, tokenStore });
    await expect(reader.graphQL.rawQuery("{ viewer { id } }")).resolves.toMatchObject({
      viewer: { id: "user-1" },
    });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it("reports a refusal of an anonymous query without renewing or retrying", async () => {
    server = await startLoopbackServer((_, response) =>
      sendJson(response, 401, { message: "Log in", status: 401 }),
    );
    const client = new Client({ baseUrl: server.url });
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).rejects.toBeInstanceOf(UnauthorizedError);
    expect(server.requests).toHaveLength(1);
  });
});
