import { inspect } from "node:util";
import {
  graphQLErrorExtensions,
  isKontistAuthError,
  type KontistAuthError,
  paths,
  sleep,
} from "@kontist-auth/protocol";
import type { SandboxOptions } from "@kontist-auth/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { fakeJwt } from "../../test/fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { type ClientSandbox, onChallengePoll, sandboxClient, startClientSandbox } from "../../test/sandbox";
import { Client } from "../Client";
import type { GraphQLError } from "../errors/GraphQLError";
import type { WebSocketClosedError } from "../errors/WebSocketClosedError";
import type { GraphQLSubscription, SubscribeOptions } from "./subscriptions";
import { graphQLWebSocketUrl, isWebSocketConstructor } from "./subscriptions";

const query = "subscription { newTransaction { id amount name } }";
/** The sandbox's route key of a WebSocket handshake, as its stats name it. */
const handshake = "GET /api/graphql";

/** A message of graphql-ws's protocol. */
interface Message {
  type: string;
  id?: string;
  payload?: Record<string, unknown>;
}

/** The client's WebSockets in the test, oldest first. */
const sockets: RecordingWebSocket[] = [];

/** ws's WebSocket, recording what the client sends on it and how it closed. */
class RecordingWebSocket extends WebSocket {
  /** What the client sent, oldest first. */
  readonly sent: Message[] = [];
  /** The close code, once it closed. */
  closeCode: number | undefined;

  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    sockets.push(this);
    this.once("close", (code: number) => {
      this.closeCode = code;
    });
  }

  override send(data: string, ...rest: unknown[]): void {
    this.sent.push(JSON.parse(data) as Message);
    (super.send as (this: WebSocket, ...args: unknown[]) => void).call(this, data, ...rest);
  }

  /** The messages of `type` the client sent. */
  messages(type: "connection_init" | "subscribe" | "complete"): Message[] {
    return this.sent.filter((message) => message.type === type);
  }
}

/** The client's WebSockets still open. */
const open = () => sockets.filter((socket) => socket.closeCode === undefined);

let sandbox: ClientSandbox;
beforeAll(async () => {
  sandbox = await startClientSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  sockets.length = 0;
});

const subscriptions: GraphQLSubscription[] = [];
/** Sandboxes started with other options, and loopback servers. */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  for (const close of closers.splice(0)) await close();
});

/**
 * A client signed in to the sandbox (or `at`), whose token is confirmed by push MFA, approved on the
 * phone: `newTransaction` needs a confirmed token.
 */
async function confirmedClient(at = sandbox, options: Parameters<ClientSandbox["signIn"]>[0] = {}) {
  const session = await at.signIn({ webSocketImpl: RecordingWebSocket, ...options });
  onChallengePoll(session, (poll, id) => poll === 1 && at.test.approveMfaChallenge(id));
  const { accessToken } = await session.client.auth.push.getConfirmedToken({ pollInterval: 10 });
  session.onSend = undefined;
  return { client: session.client, accessToken };
}

/** A sandbox started with `options`, closed after the test. */
async function sandboxWith(options: SandboxOptions): Promise<ClientSandbox> {
  const started = await startClientSandbox(options);
  closers.push(() => started.close());
  return started;
}

/**
 * For what the sandbox does not do — complete a subscription, send a scripted event, refuse a token with
 * a reason of the test's, drop a connection at a chosen moment — a loopback server that speaks graphql-ws's
 * protocol at `/api/graphql` only as far as acknowledging (or, as `refuse` says, refusing) each
 * `connection_init`, and otherwise sends what the test tells it. Its token endpoint renews any refresh
 * token. Its client holds a token with a refresh token.
 */
async function scriptedServer(
  refuse?: (params: Record<string, unknown> | undefined) => { code: number; reason: string } | undefined,
) {
  let serial = 0;
  const newAccessToken = () =>
    fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000, jti: `at-${++serial}` });
  const server: LoopbackServer = await startLoopbackServer((_, response) =>
    sendJson(response, 200, { access_token: newAccessToken(), token_type: "Bearer", expires_in: 3600 }),
  );
  closers.push(() => server.close());
  /** The server's side of each connection, oldest first. */
  const connections: WebSocket[] = [];
  const webSockets = new WebSocketServer({
    server: server.http,
    path: paths.graphQL,
    handleProtocols: (protocols) => (protocols.has("graphql-transport-ws") ? "graphql-transport-ws" : false),
  });
  webSockets.on("connection", (socket) => {
    connections.push(socket);
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Message;
      if (message.type !== "connection_init") return;
      const refusal = refuse?.(message.payload);
      if (refusal !== undefined) return socket.close(refusal.code, refusal.reason);
      socket.send(JSON.stringify({ type: "connection_ack" }));
    });
  });
  const client = new Client({
    baseUrl: server.url,
    clientId: "c",
    clientSecret: "s",
    webSocketImpl: RecordingWebSocket,
  });
  const { accessToken } = client.auth.tokenManager.setToken(newAccessToken(), "rt-1");
  return {
    client,
    accessToken,
    newAccessToken,
    connections,
    /** Token requests received. */
    renewals: () => server.requests.filter((request) => request.url === paths.token).length,
    /** Sends `message` on every open connection. */
    send(message: Message) {
      for (const socket of connections) {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      }
    },
  };
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

async function waitFor(condition: () => boolean, timeout = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error("the condition did not hold in time");
    await sleep(10);
  }
}

/** Waits until the client has sent `count` subscriptions on `socket`, and the server has set them up. */
async function subscribed(socket: () => RecordingWebSocket | undefined, count = 1): Promise<void> {
  await waitFor(() => socket()?.messages("subscribe").length === count);
  await sleep(50); // the sandbox sets a subscription up once it has handled the message
}

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
    const { client, accessToken } = await confirmedClient();
    const withVariables = "subscription ($n: Boolean!) { newTransaction { id name @include(if: $n) } }";
    expect(await sandbox.received(handshake)).toBe(0);
    const first = record(client);
    const second = record(client, { query: withVariables, variables: { n: true } });
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

    first.subscription.unsubscribe();
    await waitFor(() => connection?.messages("complete").length === 1);
    expect(connection?.closeCode).toBeUndefined();
    second.subscription.unsubscribe();
    second.subscription.unsubscribe();
    await waitFor(() => connection?.closeCode !== undefined);
    expect(connection?.closeCode).toBe(1000);

    record(client);
    await waitFor(() => sockets.length === 2 && open().length === 1);
    expect([first.events.errors, second.events.errors]).toEqual([[], []]);
  });

  it("an unsubscribe before graphql-ws has loaded starts nothing: no socket, no subscribe message", async () => {
    const { client } = await confirmedClient();
    const early = record(client);
    early.subscription.unsubscribe();
    await sleep(100);
    expect(sockets).toEqual([]);
    expect(await sandbox.received(handshake)).toBe(0);

    record(client);
    await subscribed(() => sockets[0]);
    expect(sockets.length).toBe(1);
    expect(sockets[0]?.messages("subscribe").length).toBe(1);
    expect(early.events).toEqual({ data: [], errors: [], completed: 0 });
  });

  it("a failure to load graphql-ws goes to onError as a NetworkError; the next subscription retries", async () => {
    const { client } = await confirmedClient();
    vi.doMock("graphql-ws/client", () => {
      throw new Error("chunk failed to load");
    });
    const failed = record(client);
    await waitFor(() => failed.events.errors.length === 1).finally(() => vi.doUnmock("graphql-ws/client"));
    const [error] = failed.events.errors;
    expect(error?.code).toBe("NETWORK_ERROR");
    expect(error?.cause).toBeInstanceOf(Error); // vitest wraps the factory's error: the import rejected
    expect(sockets).toEqual([]);

    record(client);
    await subscribed(() => sockets[0]);
  });

  it("a failure to load the connection's own module goes to onError as a NetworkError; the next subscription retries", async () => {
    const { client } = await confirmedClient();
    vi.doMock("./SubscriptionConnection", () => {
      throw new Error("chunk failed to load");
    });
    const failed = record(client);
    await waitFor(() => failed.events.errors.length === 1).finally(() =>
      vi.doUnmock("./SubscriptionConnection"),
    );
    const [error] = failed.events.errors;
    expect(error?.code).toBe("NETWORK_ERROR");
    expect(error?.cause).toBeInstanceOf(Error);
    expect(sockets).toEqual([]);

    record(client);
    await subscribed(() => sockets[0]);
  });

  it("calls onComplete when the server completes, and nothing after unsubscribe", async () => {
    // The sandbox's newTransaction never completes: a scripted server does.
    const server = await scriptedServer();
    const done = record(server.client);
    const quiet = record(server.client, { query: "subscription { other }" });
    await waitFor(() => sockets[0]?.messages("subscribe").length === 2);
    const [doneId, quietId] = sockets[0]?.messages("subscribe").map((message) => message.id) ?? [];
    quiet.subscription.unsubscribe();
    server.send({ id: doneId, type: "complete" });
    server.send({ id: quietId, type: "next", payload: { data: { other: 1 } } });
    await waitFor(() => done.events.completed === 1);
    await sleep(50);
    expect(quiet.events).toEqual({ data: [], errors: [], completed: 0 });
  });

  it("keeps delivering when onNext throws", async () => {
    const { client } = await confirmedClient();
    let calls = 0;
    record(client, {
      onNext: () => {
        calls += 1;
        throw new Error("app bug");
      },
    });
    await subscribed(() => sockets[0]);
    await sandbox.test.bookTransaction({ amount: 1 });
    await sandbox.test.bookTransaction({ amount: 2 });
    await waitFor(() => calls === 2);
    expect(open()).toHaveLength(1);
  });
});

describe("errors of a subscription", () => {
  it("an event with errors ends it with a GraphQLError carrying status and type, the token redacted", async () => {
    // An error message that quotes the token: the sandbox never writes one, a scripted server does.
    const server = await scriptedServer();
    const { accessToken } = server;
    const { events } = record(server.client);
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
    const session = await sandbox.signIn({ webSocketImpl: RecordingWebSocket });
    // A syntax error: the sandbox refuses the operation with an error message of status 400.
    const { events } = record(session.client, { query: "subscription { newTransaction { id " });
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "GRAPHQL_ERROR", status: 400 });
    expect(events.completed).toBe(0);
  });

  it("an event that is not a GraphQL result is a ResponseValidationError", async () => {
    const server = await scriptedServer();
    const { events } = record(server.client);
    await waitFor(() => sockets[0]?.messages("subscribe").length === 1);
    server.send({
      id: sockets[0]?.messages("subscribe")[0]?.id,
      type: "next",
      payload: { data: "not an object" },
    });
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "INVALID_RESPONSE" });
  });

  it("without a token, onError gets NoTokenError", async () => {
    const client = new Client({
      baseUrl: sandbox.url,
      clientId: sandboxClient.clientId,
      webSocketImpl: RecordingWebSocket,
    });
    const { events } = record(client);
    await waitFor(() => events.errors.length === 1);
    expect(events.errors[0]).toMatchObject({ code: "NO_TOKEN" });
    expect(sockets.every((socket) => socket.messages("connection_init").length === 0)).toBe(true);
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
    // Tokens of 2 s: the sandbox closes the connection with 4403 when its token expires. refreshLeeway 0:
    // the client renews the token only because of that.
    const shortLived = await sandboxWith({ accessTokenTtl: 2 });
    const { client, accessToken } = await confirmedClient(shortLived, { refreshLeeway: 0 });
    const { events } = record(client);
    await subscribed(() => sockets[0]);

    await subscribed(() => (sockets.length === 2 ? sockets[1] : undefined));
    expect(sockets[0]?.closeCode).toBe(4403);
    expect(await shortLived.test.grantCount("refresh_token")).toBe(1);
    const renewed = client.auth.tokenManager.token?.accessToken;
    expect(renewed).not.toBe(accessToken);
    expect(sockets[1]?.messages("connection_init")[0]?.payload).toEqual({
      Authorization: `Bearer ${renewed}`,
    });
    await shortLived.test.bookTransaction({ amount: 2 });
    await waitFor(() => events.data.length === 1);
    expect(events.errors).toEqual([]);
  });

  it("a refusal right after the renewal ends the subscriptions with WebSocketClosedError 403", async () => {
    // The sandbox accepts the token it renewed: a scripted server refuses every token.
    const server = await scriptedServer(() => ({
      code: 4403,
      reason: "Forbidden: the access token is invalid.",
    }));
    const { client, accessToken } = server;
    const first = record(client);
    const second = record(client, { query: "subscription { other }" });
    await waitFor(() => first.events.errors.length === 1 && second.events.errors.length === 1);
    expect(server.connections).toHaveLength(2);
    expect(server.renewals()).toBe(1);
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
    // A reason that echoes what was sent (it fits in a close frame): the client cuts the token out. The
    // sandbox never quotes a token: a scripted server does.
    const server = await scriptedServer((params) => ({
      code: 4403,
      reason: `Forbidden: ${String(params?.Authorization)}`,
    }));
    const { client } = server;
    const opaque = "opaque-access-token-7c41";
    client.auth.tokenManager.setToken(opaque); // no refresh token
    const { events } = record(client);
    await waitFor(() => events.errors.length === 1);
    expect(isKontistAuthError(events.errors[0], "WEBSOCKET_CLOSED")).toBe(true);
    expect((events.errors[0] as WebSocketClosedError).reason).toBe("Forbidden: Bearer [redacted]");
    for (const text of renderings(events.errors[0])) expect(text).not.toContain(opaque);
    expect(server.connections).toHaveLength(1);
    expect(server.renewals()).toBe(0);
  });

  it("after a dropped connection it reconnects with the current token and resumes", async () => {
    // The sandbox drops a connection only when its token expires: a scripted server drops it now.
    const server = await scriptedServer();
    const { client } = server;
    const { events } = record(client);
    await waitFor(() => sockets[0]?.messages("subscribe").length === 1);
    const { accessToken } = client.auth.tokenManager.setToken(server.newAccessToken());
    server.connections[0]?.close(1012, "Service restart");
    await waitFor(() => sockets.length === 2 && sockets[1]?.messages("subscribe").length === 1, 8000);
    expect(sockets[1]?.messages("connection_init")[0]?.payload).toEqual({
      Authorization: `Bearer ${accessToken}`,
    });
    expect(events.errors).toEqual([]);
  }, 15_000);
});
