import { graphQLErrorExtensions, isKontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
import { defaultSeeds } from "@kontist-auth/sandbox";
import { memoryStore } from "@kontist-auth/token-store";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import {
  type ClientSandbox,
  type RequestRecorder,
  recordingFetch,
  startClientSandbox,
} from "../../test/sandbox";
import { Client } from "../Client";
import { GraphQLError } from "../errors/GraphQLError";
import { HttpError } from "../errors/HttpError";
import { NoTokenError } from "../errors/NoTokenError";
import { UnauthorizedError } from "../errors/UnauthorizedError";

const [demoUser] = defaultSeeds.users;

let sandbox: ClientSandbox;
beforeAll(async () => {
  sandbox = await startClientSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

/** For GraphQL answers the sandbox does not give (scripted errors, malformed envelopes): a loopback server. */
let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client signed in to the sandbox. */
async function loggedIn() {
  const session = await sandbox.signIn();
  return { session, client: session.client, accessToken: session.accessToken };
}

/**
 * A logged-in client of a loopback server that answers `POST /api/graphql` with `answer.status` and
 * `answer.body` (change them between calls).
 */
async function answering(status: number, body: unknown) {
  const answer = { status, body };
  server = await startLoopbackServer((_, response) => sendJson(response, answer.status, answer.body));
  const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
  const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });
  client.auth.tokenManager.setToken(accessToken, "rt-1");
  return { answer, client, accessToken };
}

describe("GraphQLClient.rawQuery", () => {
  it("posts the query and variables with the access token and returns data", async () => {
    const { session, client, accessToken } = await loggedIn();
    const data = await client.graphQL.rawQuery<{ viewer: { id: string } }>(
      "query ($n: Boolean!) { viewer @include(if: $n) { id } }",
      {
        n: true,
      },
    );
    expect(data.viewer.id).toBe(demoUser.id);
    const [request] = session.sent;
    expect(request?.url).toBe("/api/graphql");
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(JSON.parse(request?.body ?? "")).toEqual({
      query: "query ($n: Boolean!) { viewer @include(if: $n) { id } }",
      variables: { n: true },
    });
    await client.graphQL.rawQuery("{ viewer { id } }");
    expect(JSON.parse(session.sent[1]?.body ?? "")).toEqual({ query: "{ viewer { id } }" });
  });

  it("turns errors in the envelope into a GraphQLError listing the messages, with the partial data", async () => {
    const { answer, client, accessToken } = await answering(200, {});
    answer.body = {
      data: { viewer: { id: "user-1", mainAccount: null } },
      errors: [
        { message: "mainAccount needs a confirmed token", path: ["viewer", "mainAccount"] },
        { message: `Bad token ${accessToken}`, extensions: { token: accessToken } },
      ],
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
    const { answer, client } = await answering(400, { errors: [{ message: 'Cannot query field "x"' }] });
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 400,
      data: undefined,
    });
    Object.assign(answer, { status: 503, body: { message: "Maintenance", status: 503 } });
    const error = await client.graphQL.rawQuery("{ x }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, serverMessage: "Maintenance" });
  });

  it("refuses an answer without data or errors", async () => {
    const { answer, client } = await answering(200, {});
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      field: "data",
    });
    answer.body = { data: "nope" };
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).rejects.toBeInstanceOf(
      ResponseValidationError,
    );
  });

  it("refuses an empty query or one of 10,000 characters, sending nothing", async () => {
    const { session, client } = await loggedIn();
    await expect(client.graphQL.rawQuery("  ")).rejects.toThrow(TypeError);
    await expect(client.graphQL.rawQuery(`{ viewer { id } }${" ".repeat(9_983)}`)).rejects.toThrow(TypeError);
    expect(await session.received()).toBe(0);
  });
});

describe("GraphQLError status and type", () => {
  it("reads extensions.status and extensions.type of each error, and of the first for the error as a whole", async () => {
    const { client } = await answering(200, {
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
    });
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
    const { answer, client } = await answering(400, {
      errors: [{ message: "Bad variables", extensions: graphQLErrorExtensions(422) }],
    });
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({
      status: 422,
      type: expect.stringMatching(/#422$/),
    });
    answer.body = { errors: [{ message: "Bad query" }] };
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({ status: 400, type: undefined });
    Object.assign(answer, { status: 200, body: { errors: [{ message: "Boom" }] } });
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({
      status: undefined,
      type: undefined,
    });
  });
});

describe("a Client without a token, or without a clientId", () => {
  it("sends public queries without Authorization, and the token once it has one", async () => {
    const recorder: RequestRecorder = { sent: [], onSend: undefined };
    const client = new Client({ baseUrl: sandbox.url, fetch: recordingFetch(recorder) });
    await expect(client.graphQL.rawQuery("{ __typename }")).resolves.toEqual({ __typename: "Query" });
    expect(recorder.sent[0]?.headers).not.toHaveProperty("authorization");

    const { accessToken } = await sandbox.signIn();
    client.auth.tokenManager.setToken(accessToken);
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).resolves.toMatchObject({
      viewer: { id: demoUser.id },
    });
    expect(recorder.sent[1]?.headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it("still throws NoTokenError for every call that needs a token, sending nothing", async () => {
    const client = new Client({ baseUrl: sandbox.url });
    const calls = [
      client.request({ method: "GET", path: "/api/user/mfa/challenges" }),
      client.auth.device.list(),
      client.auth.device.requestBinding({ name: "d" }),
      client.auth.device.createDeviceChallenge("d"),
      client.auth.push.getConfirmedToken(),
      client.auth.tokenManager.getValidToken(),
    ];
    // Settled together: each call is awaited from the start (some load their code first).
    for (const outcome of await Promise.allSettled(calls)) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(NoTokenError);
    }
    expect(await sandbox.received()).toBe(0);
  });

  it("throws a TypeError naming clientId when a call needs one, at call time and sending nothing", async () => {
    const session = await sandbox.signIn();
    const client = new Client({ baseUrl: sandbox.url, redirectUri: "http://localhost:3000/callback" });
    const { tokenManager } = client.auth;
    await expect(tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" })).rejects.toThrow(
      /clientId/,
    );
    await expect(tokenManager.getAuthUri()).rejects.toThrow(TypeError);
    tokenManager.setToken(session.accessToken, "rt-1");
    const error = await tokenManager.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/clientId/);
    expect(await session.received()).toBe(0);
  });

  it("loads the stored token first when it has a token store", async () => {
    const tokenStore = memoryStore();
    const { accessToken } = await sandbox.signIn();
    const writer = new Client({ baseUrl: sandbox.url, tokenStore });
    writer.auth.tokenManager.setToken(accessToken);
    await writer.auth.tokenManager.flush();

    const recorder: RequestRecorder = { sent: [], onSend: undefined };
    const reader = new Client({ baseUrl: sandbox.url, tokenStore, fetch: recordingFetch(recorder) });
    await expect(reader.graphQL.rawQuery("{ viewer { id } }")).resolves.toMatchObject({
      viewer: { id: demoUser.id },
    });
    expect(recorder.sent[0]?.headers.authorization).toBe(`Bearer ${accessToken}`);
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
