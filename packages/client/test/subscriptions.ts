import { inspect } from "node:util";
import { type KontistAuthError, paths, sleep } from "@kontist-auth/protocol";
import type { SandboxOptions } from "@kontist-auth/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { Client } from "../src/Client";
import type { SubscribeOptions } from "../src/graphql/subscriptions";
import { fakeJwt } from "./fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopbackServer";
import { type ClientSandbox, onChallengePoll, startClientSandbox } from "./sandbox";

// The client's subscription tests: a real sandbox, a WebSocket that records what the client sends and
// can be pointed at a closed port (a refused reconnection, as after a network drop), and a scripted
// graphql-ws server for what the sandbox does not do.

export const query = "subscription { newTransaction { id amount name } }";
/** The sandbox's route key of a WebSocket handshake, as its stats name it. */
export const handshake = "GET /api/graphql";

/** A message of graphql-ws's protocol. */
export interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/** The client's WebSockets in the test, oldest first (refused ones too). */
export const sockets: RecordingWebSocket[] = [];

/**
 * The network the client's WebSockets go through: while `refusing` is above 0, each new WebSocket connects
 * to `closedPort` instead (a port nothing listens on: ECONNREFUSED) and counts it down.
 */
export const network = { refusing: 0, closedPort: "" };

/** ws's WebSocket, recording what the client sends on it and how it closed. */
export class RecordingWebSocket extends WebSocket {
  /** What the client sent, oldest first. */
  readonly sent: Message[] = [];
  /** The close code, once it closed. */
  closeCode: number | undefined;
  /** Whether it was sent to the closed port. */
  readonly refused: boolean;
  /** `performance.now()` when it was made. */
  readonly at = performance.now();
  /** `performance.now()` when it closed. */
  closedAt: number | undefined;

  constructor(address: string | URL, ...rest: unknown[]) {
    const refused = network.refusing > 0;
    const url = new URL(address);
    if (refused) {
      network.refusing -= 1;
      url.port = network.closedPort;
    }
    super(url, ...(rest as []));
    this.refused = refused;
    sockets.push(this);
    this.once("close", (code: number) => {
      this.closeCode = code;
      this.closedAt = performance.now();
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
export const open = () => sockets.filter((socket) => socket.closeCode === undefined);

/** The newest WebSocket, if any. */
export const newest = () => sockets.at(-1);

/** Quick reconnections for tests: up to 5, waiting at most 20 ms. */
export const quickRetry = { limit: 5, baseDelay: 10, maxDelay: 20 } as const;

/**
 * Registers the hooks of a subscription test file: a sandbox for the file (reset before each test),
 * `network` and `sockets` emptied before each test, and after it the subscriptions ended and the servers
 * closed. `ended` collects what ends a subscription; `closers` what to close.
 */
export function subscriptionTests() {
  const context = {
    sandbox: undefined as unknown as ClientSandbox,
    ended: [] as (() => unknown)[],
    closers: [] as (() => Promise<void>)[],
  };
  beforeAll(async () => {
    context.sandbox = await startClientSandbox();
    const closed = await startLoopbackServer(() => {});
    await closed.close();
    network.closedPort = new URL(closed.url).port;
  });
  afterAll(() => context.sandbox?.close());
  beforeEach(async () => {
    await context.sandbox.reset();
    sockets.length = 0;
    network.refusing = 0;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const end of context.ended.splice(0)) await end();
    for (const close of context.closers.splice(0)) await close();
  });
  return context;
}

/**
 * A client signed in to `at`, whose token is confirmed by push MFA, approved on the phone:
 * `newTransaction` needs a confirmed token. Its WebSockets are {@link RecordingWebSocket}s.
 */
export async function confirmedClient(
  at: ClientSandbox,
  options: Parameters<ClientSandbox["signIn"]>[0] = {},
) {
  const session = await at.signIn({ webSocketImpl: RecordingWebSocket, ...options });
  onChallengePoll(session, (poll, id) => poll === 1 && at.test.approveMfaChallenge(id));
  const { accessToken } = await session.client.auth.push.getConfirmedToken({ pollInterval: 10 });
  session.onSend = undefined;
  return { client: session.client, accessToken, session };
}

/** A sandbox started with `options`, closed after the test. */
export async function sandboxWith(
  closers: (() => Promise<void>)[],
  options: SandboxOptions,
): Promise<ClientSandbox> {
  const started = await startClientSandbox(options);
  closers.push(() => started.close());
  return started;
}

/**
 * For what the sandbox does not do — complete a subscription, send a scripted event, refuse a token with
 * a reason of the test's — a loopback server that speaks graphql-ws's protocol at `/api/graphql` only as
 * far as acknowledging (or, as `refuse` says, refusing) each `connection_init`, and otherwise sends what
 * the test tells it. Its token endpoint renews any refresh token. Its client holds a token with a refresh
 * token.
 */
export async function scriptedServer(
  closers: (() => Promise<void>)[],
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
      const refusal = refuse?.(message.payload as Record<string, unknown> | undefined);
      if (refusal !== undefined) return socket.close(refusal.code, refusal.reason);
      socket.send(JSON.stringify({ type: "connection_ack" }));
    });
  });
  const client = new Client({
    baseUrl: server.url,
    clientId: "c",
    clientSecret: "s",
    webSocketImpl: RecordingWebSocket,
    subscriptionRetry: quickRetry,
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

/** What a subscription's callbacks got. */
export interface Recorded {
  data: Record<string, unknown>[];
  errors: KontistAuthError[];
  completed: number;
}

/** Subscribes with callbacks that record what they get; the subscription ends after the test. */
export function record(
  ended: (() => unknown)[],
  client: Client,
  options: Partial<SubscribeOptions> & { query?: string } = {},
) {
  const events: Recorded = { data: [], errors: [], completed: 0 };
  const { query: document = query, ...rest } = options;
  const unsubscribe = client.graphQL.subscribe(document, {
    next: (data) => events.data.push(data),
    error: (error) => events.errors.push(error),
    complete: () => {
      events.completed += 1;
    },
    ...rest,
  });
  ended.push(unsubscribe);
  return { events, unsubscribe };
}

/** Every way an error can end up in a log. */
export const renderings = (error: unknown) => [
  String(error),
  (error as Error).stack ?? "",
  JSON.stringify(error),
  inspect(error, { depth: 10, showHidden: true }),
];

export async function waitFor(condition: () => boolean, timeout = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error("the condition did not hold in time");
    await sleep(10);
  }
}

/** Waits until the client has sent `count` subscriptions on `socket`, and the server has set them up. */
export async function subscribed(socket: () => RecordingWebSocket | undefined, count = 1): Promise<void> {
  await waitFor(() => socket()?.messages("subscribe").length === count);
  await sleep(50); // the sandbox sets a subscription up once it has handled the message
}

/**
 * Makes `Math.random` return values from `min` up to 1 (still random, so graphql-ws's ids stay apart):
 * each backoff wait is then at least `min` times its bound. Restored after the test.
 */
export function randomAtLeast(min: number): void {
  const random = Math.random;
  vi.spyOn(Math, "random").mockImplementation(() => min + (1 - min) * random());
}
