import { graphQLErrorExtensions, sleep } from "@kontist-auth/protocol";
import { describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { startLoopbackServer } from "../../test/loopbackServer";
import { sandboxClient } from "../../test/sandbox";
import {
  confirmedClient,
  handshake,
  open,
  query,
  RecordingWebSocket,
  record,
  renderings,
  scriptedServer,
  sockets,
  subscribed,
  subscriptionTests,
  waitFor,
} from "../../test/subscriptions";
import { Client } from "../Client";
import type { GraphQLError } from "../errors/GraphQLError";
import { graphQLWebSocketUrl, isWebSocketConstructor } from "./subscriptions";

const context = subscriptionTests();
const { ended, closers } = context;

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
      for (const subscribe of [
        () => client.graphQL.subscribe(query, { next: () => {} }),
        () => client.graphQL.subscribe(query),
      ]) {
        expect(subscribe).toThrow(
          expect.objectContaining({
            name: "TypeError",
            message: expect.stringContaining('import WebSocket from "ws"'),
          }),
        );
      }
    } finally {
      if (saved !== undefined) global.WebSocket = saved;
    }
  });

  it("refuses a webSocketImpl that is not a WebSocket constructor, and bad arguments", () => {
    expect(isWebSocketConstructor(WebSocket)).toBe(true);
    for (const webSocketImpl of [42, {}, () => {}]) {
      expect(() => new Client({ baseUrl: "http://127.0.0.1:9", webSocketImpl })).toThrow(TypeError);
    }
    const client = new Client({ baseUrl: "http://127.0.0.1:9", webSocketImpl: WebSocket });
    const subscribe = (document: unknown, options?: unknown) => () =>
      client.graphQL.subscribe(document as string, options as { next: () => void });
    const next = () => {};
    expect(subscribe("", { next })).toThrow(TypeError);
    expect(subscribe("x".repeat(10_000), { next })).toThrow(TypeError);
    expect(subscribe({ query, next })).toThrow(TypeError); // the old form: one object
    expect(subscribe(query, "no")).toThrow(TypeError);
    expect(subscribe(query, { next: "no" })).toThrow(TypeError);
    expect(subscribe(query, { next, error: "no" })).toThrow(TypeError);
    expect(subscribe(query, { next, variables: "no" })).toThrow(TypeError);
    expect(subscribe(query, { next, signal: {} })).toThrow(/signal must be an AbortSignal/);
    expect(subscribe(query, { error: () => {} })).toThrow(/error and complete need next/);
    expect(sockets).toEqual([]);
  });
});

describe("one shared WebSocket", () => {
  it("opens lazily, authenticates with the token, carries every subscription, closes after the last", async () => {
    const { sandbox } = context;
    const { client, accessToken } = await confirmedClient(sandbox);
    const withVariables = "subscription ($n: Boolean!) { newTransaction { id name @include(if: $n) } }";
    expect(await sandbox.received(handshake)).toBe(0);
    const first = record(ended, client);
    const second = record(ended, client, { query: withVariables, variables: { n: true } });
    await subscribed(() => sockets[0], 2);
    expect(await sandbox.received(handshake)).toBe(1);
    const [connection] = sockets;
    expect(connection?.messages("connection_init")[0]?.payload).toEqual({
      Authorization: `Bearer ${accessToken}`,
    });
    expect(connection?.messages("subscribe").map((message) => message.payload)).toEqual([
      { query },
      { query: withVariables, variables: { n: true } },
    ]);

    const { id } = await sandbox.test.bookTransaction({ amount: 5 });
    await waitFor(() => first.events.data.length === 1 && second.events.data.length === 1);
    expect(first.events.data).toEqual([{ newTransaction: { id, amount: 5, name: null } }]);

    first.unsubscribe();
    await waitFor(() => connection?.messages("complete").length === 1);
    expect(connection?.closeCode).toBeUndefined();
    second.unsubscribe();
    second.unsubscribe();
    await waitFor(() => connection?.closeCode !== undefined);
    expect(connection?.closeCode).toBe(1000);

    record(ended, client);
    await waitFor(() => sockets.length === 2 && open().length === 1);
    expect([first.events.errors, second.events.errors]).toEqual([[], []]);
  });

  it("an unsubscribe before graphql-ws has loaded starts nothing: no socket, no subscribe message", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox);
    const early = record(ended, client);
    early.unsubscribe();
    await sleep(100);
    expect(sockets).toEqual([]);
    expect(await sandbox.received(handshake)).toBe(0);

    record(ended, client);
    await subscribed(() => sockets[0]);
    expect(sockets.length).toBe(1);
    expect(sockets[0]?.messages("subscribe").length).toBe(1);
    expect(early.events).toEqual({ data: [], errors: [], completed: 0 });
  });

  for (const module of ["graphql-ws/client", "./SubscriptionConnection"]) {
    it(`a failure to load ${module} ends it with a NetworkError, in both forms; the next subscription retries`, async () => {
      const { client } = await confirmedClient(context.sandbox);
      vi.doMock(module, () => {
        throw new Error("chunk failed to load");
      });
      const failed = record(ended, client);
      const iterated = client.graphQL
        .subscribe(query)
        .next()
        .catch((error: unknown) => error);
      await waitFor(() => failed.events.errors.length === 1).finally(() => vi.doUnmock(module));
      const [error] = failed.events.errors;
      expect(error?.code).toBe("NETWORK_ERROR");
      expect(error?.cause).toBeInstanceOf(Error); // vitest wraps the factory's error: the import rejected
      expect(await iterated).toMatchObject({ code: "NETWORK_ERROR" });
      expect(sockets).toEqual([]);

      record(ended, client);
      await subscribed(() => sockets[0]);
    });
  }

  it("calls complete when the server completes, and nothing after unsubscribing", async () => {
    // The sandbox's newTransaction never completes: a scripted server does.
    const server = await scriptedServer(closers);
    const done = record(ended, server.client);
    const quiet = record(ended, server.client, { query: "subscription { other }" });
    await waitFor(() => sockets[0]?.messages("subscribe").length === 2);
    const [doneId, quietId] = sockets[0]?.messages("subscribe").map((message) => message.id) ?? [];
    quiet.unsubscribe();
    server.send({ id: doneId, type: "complete" });
    server.send({ id: quietId, type: "next", payload: { data: { other: 1 } } });
    await waitFor(() => done.events.completed === 1);
    await sleep(50);
    expect(quiet.events).toEqual({ data: [], errors: [], completed: 0 });
  });

  it("keeps delivering when next throws", async () => {
    const { client } = await confirmedClient(context.sandbox);
    let calls = 0;
    record(ended, client, {
      next: () => {
        calls += 1;
        throw new Error("app bug");
      },
    });
    await subscribed(() => sockets[0]);
    await context.sandbox.test.bookTransaction({ amount: 1 });
    await context.sandbox.test.bookTransaction({ amount: 2 });
    await waitFor(() => calls === 2);
    expect(open()).toHaveLength(1);
  });
});

describe("errors of a subscription", () => {
  it("an event with errors ends it with a GraphQLError carrying status and type, the token redacted", async () => {
    // An error message that quotes the token: the sandbox never writes one, a scripted server does.
    const server = await scriptedServer(closers);
    const { accessToken } = server;
    const { events } = record(ended, server.client);
    await waitFor(() => sockets[0]?.messages("subscribe").length === 1);
    server.send({
      id: sockets[0]?.messages("subscribe")[0]?.id,
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
    await waitFor(() => events.errors.length === 1);
    const [error] = events.errors as GraphQLError[];
    expect(error).toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 403,
      type: graphQLErrorExtensions(403).type,
    });
    expect(error?.errors[0]?.message).toContain("[redacted]");
    for (const text of renderings(error)) expect(text).not.toContain(accessToken);
    // The subscription ended: the client told the server, and later events go nowhere.
    await waitFor(() => open()[0]?.messages("complete").length === 1 || open().length === 0);
    expect(events.data).toEqual([]);
  });

  it("an error message (a refused operation) is a GraphQLError", async () => {
    const session = await context.sandbox.signIn({ webSocketImpl: RecordingWebSocket });
    // A syntax error: the sandbox refuses the operation with an error message of status 400.
    const { events } = record(ended, session.client, { query: "subscription { newTransaction { id " });
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "GRAPHQL_ERROR", status: 400 });
    expect(events.completed).toBe(0);
  });

  it("an event that is not a GraphQL result is a ResponseValidationError", async () => {
    const server = await scriptedServer(closers);
    const { events } = record(ended, server.client);
    await waitFor(() => sockets[0]?.messages("subscribe").length === 1);
    server.send({
      id: sockets[0]?.messages("subscribe")[0]?.id,
      type: "next",
      payload: { data: "not an object" },
    });
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "INVALID_RESPONSE" });
  });

  it("without a token, error gets NoTokenError, and nothing is retried", async () => {
    const client = new Client({
      baseUrl: context.sandbox.url,
      clientId: sandboxClient.clientId,
      webSocketImpl: RecordingWebSocket,
      subscriptionRetry: { baseDelay: 0 },
    });
    const { events } = record(ended, client);
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "NO_TOKEN" });
    await sleep(100);
    expect(sockets).toHaveLength(1);
    expect(sockets.every((socket) => socket.messages("connection_init").length === 0)).toBe(true);
  });

  it("a server that cannot be reached is a NetworkError, at once with subscriptionRetry: false", async () => {
    const gone = await startLoopbackServer(() => {});
    await gone.close();
    const client = new Client({
      baseUrl: gone.url,
      clientId: "c",
      webSocketImpl: RecordingWebSocket,
      subscriptionRetry: false,
    });
    client.auth.tokenManager.setToken("an-access-token-that-is-long-enough");
    const { events } = record(ended, client);
    await waitFor(() => events.errors.length === 1);
    expect(sockets).toHaveLength(1);
    expect(events.errors[0]).toMatchObject({
      code: "NETWORK_ERROR",
      message: expect.stringContaining("ECONNREFUSED"),
    });
    for (const text of renderings(events.errors[0])) expect(text).not.toContain("an-access-token");
  });
});
