import { expect } from "vitest";
import WebSocket from "ws";
import type { RunningSandbox } from "../src/index";

/** graphql-ws's subprotocol (GraphQL over WebSocket). */
export const graphQLTransportWs = "graphql-transport-ws";

/** How a WebSocket closed. */
export interface WebSocketClose {
  code: number;
  reason: string;
}

/** A raw GraphQL-over-WebSocket connection to a sandbox: send messages, read them one by one, see it close. */
export interface GraphQLSocket {
  readonly socket: WebSocket;
  /** Sends a message (an object as JSON, a string or bytes as they are). */
  send(message: unknown): void;
  /** The next message the server sent (JSON), waiting up to `timeout` ms; rejects when none comes. */
  next(timeout?: number): Promise<Record<string, unknown>>;
  /** Whether a message arrives within `ms`; `false` when none did. */
  receivesWithin(ms: number): Promise<boolean>;
  /** Resolves with the close code and reason once the socket closed. */
  readonly closed: Promise<WebSocketClose>;
}

/**
 * Opens a WebSocket to the sandbox's `/api/graphql` with graphql-ws's subprotocol (or `protocol`; `null`
 * for none), and resolves once it is open.
 */
export async function openGraphQLSocket(
  sandbox: RunningSandbox,
  { protocol = graphQLTransportWs, path = "/api/graphql" }: { protocol?: string | null; path?: string } = {},
): Promise<GraphQLSocket> {
  const url = `${sandbox.url.replace(/^http/, "ws")}${path}`;
  const socket = protocol === null ? new WebSocket(url) : new WebSocket(url, protocol);
  const received: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    const next = waiting.shift();
    if (next === undefined) received.push(message);
    else next(message);
  });
  const closed = new Promise<WebSocketClose>((resolve) => {
    socket.on("close", (code, reason) => resolve({ code, reason: String(reason) }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = (timeout = 3000): Promise<Record<string, unknown>> => {
    const message = received.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(deliver), 1);
        reject(new Error(`no message within ${timeout} ms`));
      }, timeout);
      const deliver = (message: Record<string, unknown>) => {
        clearTimeout(timer);
        resolve(message);
      };
      waiting.push(deliver);
    });
  };
  return {
    socket,
    closed,
    send: (message) =>
      socket.send(
        typeof message === "string" || message instanceof Uint8Array ? message : JSON.stringify(message),
      ),
    next,
    async receivesWithin(ms) {
      if (received.length > 0) return true;
      return next(ms).then(
        (message) => {
          received.unshift(message);
          return true;
        },
        () => false,
      );
    },
  };
}

/** Opens a connection and acknowledges it with `Authorization: Bearer <accessToken>`; fails the test otherwise. */
export async function connectedGraphQLSocket(
  sandbox: RunningSandbox,
  accessToken: string,
): Promise<GraphQLSocket> {
  const connection = await openGraphQLSocket(sandbox);
  connection.send({ type: "connection_init", payload: { Authorization: `Bearer ${accessToken}` } });
  expect(await connection.next()).toEqual({ type: "connection_ack" });
  return connection;
}

/** Kontist's `newTransaction` subscription, with the fields the sandbox has. */
export const newTransactionSubscription = "subscription { newTransaction { id amount name } }";
