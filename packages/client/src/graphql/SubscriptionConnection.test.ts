import { inspect } from "node:util";
import { graphQLErrorExtensions, isKontistAuthError, type KontistAuthError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { attachFakeGraphQLWebSocket, type FakeGraphQLWebSocket } from "../../test/fakeGraphQLWebSocket";
import { type FakeOAuthApi, startFakeOAuthApi } from "../../test/fakeOAuthApi";
import { startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import type { GraphQLError } from "../errors/GraphQLError";
import type { WebSocketClosedError } from "../errors/WebSocketClosedError";
import type { GraphQLSubscription, SubscribeOptions } from "./SubscriptionConnection";
import { graphQLWebSocketUrl, isWebSocketConstructor } from "./SubscriptionConnection";

const query = "subscription { newTransaction { id amount name } }";

let api: FakeOAuthApi | undefined;
const subscriptions: GraphQLSubscription[] = [];
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  await api?.close();
  api = undefined;
});

/** A client logged in at a fake API that also serves GraphQL over WebSocket. */
async function setUp(): Promise<{
  api: FakeOAuthApi;
  ws: FakeGraphQLWebSocket;
  client: Client;
  accessToken: string;
}> {
  api = await startFakeOAuthApi();
  const ws = attachFakeGraphQLWebSocket(api.http);
  const client = new Client({ baseUrl: api.url, clientId: "c", clientSecret: "s", webSocketImpl: WebSocket });
  const { accessToken, refreshToken } = api.login();
  client.auth.tokenManager.setToken(accessToken, refreshToken);
  return { api, ws, client, accessToken };
}

/** Subscribes and records what the callbacks get. */
function record(client: Client, options: Partial<SubscribeOptions> = {}) {
  const events = {
    data: [] as Record<string, unknown>[],
    errors: [] as KontistAuthError[],
    completed: 0,
  };
  const subscription = client.graphQL.subscribe({
    query,
    onNext: (data) => events.data.push(data),
    onError: (error) => events.errors.push(error),
    onComplete: () => {
      events.completed += 1;
    },
    ...options,
  });
  subscriptions.push(subscription);
  return { events, subscription };
}

/** Every way an error can end up in a log. */
const renderings = (error: unknown) => [
  String(error),
  (error as Error).stack ?? "",
  JSON.stringify(error),
  inspect(error, { depth: 10, showHidden: true }),
];

describe("graphQLWebSocketUrl", () => {
  it("turns https into wss and http into ws, appending /api/graphql and keeping a path prefix", () => {
    expect(graphQLWebSocketUrl("https://api.kontist.com")).toBe("wss://api.kontist.com/api/graphql");
    expect(graphQLWebSocketUrl("http://127.0.0.1:4010/")).toBe("ws://127.0.0.1:4010/api/graphql");
    expect(graphQLWebSocketUrl("https://proxy.example/kontist//")).toBe(
      "wss://proxy.example/kontist/api/graphql",
    );
  });
});

describe("what subscribe needs", () => {
  it("throws a TypeError without a WebSocket, naming the ws package", () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      const client = new Client({ baseUrl: "http://127.0.0.1:9", clientId: "c" });
      expect(() => client.graphQL.subscribe({ query, onNext: () => {} })).toThrow(
        expect.objectContaining({
          name: "TypeError",
          message: expect.stringContaining('import WebSocket from "ws"'),
        }),
      );
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });

  it("refuses a webSocketImpl that is not a WebSocket constructor, and bad options", () => {
    expect(isWebSocketConstructor(WebSocket)).toBe(true);
    for (const webSocketImpl of [42, {}, () => {}]) {
      expect(() => new Client({ baseUrl: "http://127.0.0.1:9", webSocketImpl })).toThrow(TypeError);
    }
    const client = new Client({ baseUrl: "http://127.0.0.1:9", webSocketImpl: WebSocket });
    const subscribe = (options: unknown) => () => client.graphQL.subscribe(options as SubscribeOptions);
    expect(subscribe({ query: "", onNext: () => {} })).toThrow(TypeError);
    expect(subscribe({ query: "x".repeat(10_000), onNext: () => {} })).toThrow(TypeError);
    expect(subscribe({ query })).toThrow(TypeError);
    expect(subscribe({ query, onNext: () => {}, onError: "no" })).toThrow(TypeError);
    expect(subscribe({ query, onNext: () => {}, variables: "no" })).toThrow(TypeError);
  });
});

describe("one shared WebSocket", () => {
  it("opens lazily, authenticates with the token, carries every subscription, closes after the last", async () => {
    const { ws, client, accessToken } = await setUp();
    expect(ws.connections).toHaveLength(0);
    const first = record(client);
    const second = record(client, {
      query: "subscription ($n: Int) { newTransaction { id } }",
      variables: { n: 1 },
    });
    await ws.until(() => ws.connections[0]?.subscriptions.size === 2);
    expect(ws.connections).toHaveLength(1);
    const [connection] = ws.connections;
    expect(connection?.connectionParams).toEqual({ Authorization: `Bearer ${accessToken}` });
    expect([...(connection?.subscriptions.values() ?? [])]).toEqual([
      { query },
      { query: "subscription ($n: Int) { newTransaction { id } }", variables: { n: 1 } },
    ]);

    ws.send({ type: "next", payload: { data: { newTransaction: { id: "t-1", amount: 5, name: null } } } });
    await ws.until(() => first.events.data.length === 1 && second.events.data.length === 1);
    expect(first.events.data).toEqual([{ newTransaction: { id: "t-1", amount: 5, name: null } }]);

    first.subscription.unsubscribe();
    await ws.until(() => connection?.completed.length === 1);
    expect(connection?.closeCode).toBeUndefined();
    second.subscription.unsubscribe();
    second.subscription.unsubscribe();
    await ws.until(() => connection?.closeCode !== undefined);
    expect(connection?.closeCode).toBe(1000);

    record(client);
    await ws.until(() => ws.connections.length === 2 && ws.open().length === 1);
    expect([first.events.errors, second.events.errors]).toEqual([[], []]);
  });

  it("calls onComplete when the server completes, and nothing after unsubscribe", async () => {
    const { ws, client } = await setUp();
    const done = record(client);
    const quiet = record(client, { query: "subscription { other }" });
    await ws.until(() => ws.open()[0]?.subscriptions.size === 2);
    const [doneId, quietId] = [...(ws.open()[0]?.subscriptions.keys() ?? [])];
    quiet.subscription.unsubscribe();
    ws.send({ type: "complete" }, doneId);
    ws.send({ type: "next", payload: { data: { other: 1 } } }, quietId);
    await ws.until(() => done.events.completed === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(quiet.events).toEqual({ data: [], errors: [], completed: 0 });
  });

  it("keeps delivering when onNext throws", async () => {
    const { ws, client } = await setUp();
    let calls = 0;
    record(client, {
      onNext: () => {
        calls += 1;
        throw new Error("app bug");
      },
    });
    await ws.until(() => ws.open()[0]?.subscriptions.size === 1);
    ws.send({ type: "next", payload: { data: { n: 1 } } });
    ws.send({ type: "next", payload: { data: { n: 2 } } });
    await ws.until(() => calls === 2);
    expect(ws.open()).toHaveLength(1);
  });
});

describe("errors of a subscription", () => {
  it("an event with errors ends it with a GraphQLError carrying status and type, the token redacted", async () => {
    const { ws, client, accessToken } = await setUp();
    const { events } = record(client);
    await ws.until(() => ws.open()[0]?.subscriptions.size === 1);
    ws.send({
      type: "next",
      payload: {
        errors: [
          {
            message: `Banking data needs a confirmed token (you sent ${accessToken})`,
            path: ["newTransaction"],
            extensions: graphQLErrorExtensions(403),
          },
        ],
      },
    });
    await ws.until(() => events.errors.length === 1);
    const [error] = events.errors as GraphQLError[];
    expect(error).toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 403,
      type: graphQLErrorExtensions(403).type,
    });
    expect(error?.errors[0]?.message).toContain("[redacted]");
    for (const text of renderings(error)) expect(text).not.toContain(accessToken);
    // The subscription ended: the client told the server, and later events go nowhere.
    await ws.until(() => ws.open()[0]?.completed.length === 1 || ws.open().length === 0);
    expect(events.data).toEqual([]);
  });

  it("an error message (a refused operation) is a GraphQLError", async () => {
    const { ws, client } = await setUp();
    const { events } = record(client);
    await ws.until(() => ws.open()[0]?.subscriptions.size === 1);
    ws.send({
      type: "error",
      payload: [{ message: "Syntax Error", extensions: graphQLErrorExtensions(400) }],
    });
    await ws.until(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "GRAPHQL_ERROR", status: 400 });
    expect(events.completed).toBe(0);
  });

  it("an event that is not a GraphQL result is a ResponseValidationError", async () => {
    const { ws, client } = await setUp();
    const { events } = record(client);
    await ws.until(() => ws.open()[0]?.subscriptions.size === 1);
    ws.send({ type: "next", payload: { data: "not an object" } });
    await ws.until(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "INVALID_RESPONSE" });
  });

  it("without a token, onError gets NoTokenError", async () => {
    api = await startFakeOAuthApi();
    const ws = attachFakeGraphQLWebSocket(api.http);
    const client = new Client({ baseUrl: api.url, clientId: "c", webSocketImpl: WebSocket });
    const { events } = record(client);
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "NO_TOKEN" });
    expect(ws.connections.every((connection) => connection.connectionParams === undefined)).toBe(true);
  });

  it("a server that cannot be reached is a NetworkError, at once", async () => {
    const gone = await startLoopbackServer(() => {});
    await gone.close();
    const client = new Client({ baseUrl: gone.url, clientId: "c", webSocketImpl: WebSocket });
    client.auth.tokenManager.setToken("an-access-token-that-is-long-enough");
    const { events } = record(client);
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({
      code: "NETWORK_ERROR",
      message: expect.stringContaining("ECONNREFUSED"),
    });
    for (const text of renderings(events.errors[0])) expect(text).not.toContain("an-access-token");
  });
});

describe("reconnecting", () => {
  it("after a 4403 the token is renewed once and the connection reopened at once, subscriptions resumed", async () => {
    const { api, ws, client, accessToken } = await setUp();
    const { events } = record(client);
    await ws.until(() => ws.open()[0]?.subscriptions.size === 1);
    ws.open()[0]?.socket.close(4403, "Forbidden: the access token has expired.");

    await ws.until(() => ws.open()[0]?.subscriptions.size === 1 && ws.connections.length === 2);
    expect(api.count("POST /api/oauth/token")).toBe(1);
    const renewed = client.auth.tokenManager.token?.accessToken;
    expect(renewed).not.toBe(accessToken);
    expect(ws.connections[1]?.connectionParams).toEqual({ Authorization: `Bearer ${renewed}` });
    ws.send({ type: "next", payload: { data: { newTransaction: { id: "t-2" } } } });
    await ws.until(() => events.data.length === 1);
    expect(events.errors).toEqual([]);
  });

  it("a refusal right after the renewal ends the subscriptions with WebSocketClosedError 403", async () => {
    const { api, ws, client, accessToken } = await setUp();
    ws.refuse = () => ({ code: 4403, reason: "Forbidden: the access token is invalid." });
    const first = record(client);
    const second = record(client, { query: "subscription { other }" });
    await waitFor(() => first.events.errors.length === 1 && second.events.errors.length === 1);
    expect(ws.connections).toHaveLength(2);
    expect(api.count("POST /api/oauth/token")).toBe(1);
    const error = first.events.errors[0] as WebSocketClosedError;
    expect(error).toMatchObject({ code: "WEBSOCKET_CLOSED", closeCode: 4403, status: 403 });
    expect(error.message).toBe(
      "WebSocket /api/graphql was closed with 4403: Forbidden: the access token is invalid.",
    );
    const renewed = client.auth.tokenManager.token?.accessToken ?? "";
    for (const text of renderings(error)) {
      expect(text).not.toContain(accessToken.slice(20, 50));
      expect(text).not.toContain(renewed.slice(20, 50));
    }
  });

  it("a refused token that cannot be renewed ends the subscription at once, without a renewal", async () => {
    const { api, ws, client } = await setUp();
    const opaque = "opaque-access-token-7c41";
    client.auth.tokenManager.setToken(opaque); // no refresh token
    // A reason that echoes what was sent (it fits in a close frame): the client cuts the token out.
    ws.refuse = (params) => ({ code: 4403, reason: `Forbidden: ${String(params?.Authorization)}` });
    const { events } = record(client);
    await waitFor(() => events.errors.length === 1);
    expect(isKontistAuthError(events.errors[0], "WEBSOCKET_CLOSED")).toBe(true);
    expect((events.errors[0] as WebSocketClosedError).reason).toBe("Forbidden: Bearer [redacted]");
    for (const text of renderings(events.errors[0])) expect(text).not.toContain(opaque);
    expect(ws.connections).toHaveLength(1);
    expect(api.count("POST /api/oauth/token")).toBe(0);
  });

  it("after a dropped connection it reconnects with the current token and resumes", async () => {
    const { ws, client } = await setUp();
    const { events } = record(client);
    await ws.until(() => ws.open()[0]?.subscriptions.size === 1);
    const { accessToken } = client.auth.tokenManager.setToken(api?.login().accessToken ?? "");
    ws.open()[0]?.socket.close(1012, "Service restart");
    await ws.until(() => ws.connections.length === 2 && ws.open()[0]?.subscriptions.size === 1, 8000);
    expect(ws.connections[1]?.connectionParams).toEqual({ Authorization: `Bearer ${accessToken}` });
    expect(events.errors).toEqual([]);
  }, 15_000);
});

async function waitFor(condition: () => boolean, timeout = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error("the condition did not hold in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
