import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";

/** One connection the fake accepted. */
export interface FakeWebSocketConnection {
  readonly socket: WebSocket;
  /** The `payload` of its `connection_init`, once it came. */
  connectionParams: Record<string, unknown> | undefined;
  /** The subscriptions it started and has not completed, by id. */
  readonly subscriptions: Map<string, { query: string; variables?: unknown }>;
  /** The ids the client completed (unsubscribed), in order. */
  readonly completed: string[];
  /** The close code, once it closed. */
  closeCode: number | undefined;
}

/**
 * A GraphQL-over-WebSocket server (graphql-ws's protocol, written out by hand) at `/api/graphql` on a
 * loopback HTTP server, whose answers the test drives: it records what clients send, acknowledges
 * `connection_init` unless `refuse` says otherwise, and sends what the test tells it to.
 */
export interface FakeGraphQLWebSocket {
  /** Every connection, oldest first (closed ones included). */
  readonly connections: FakeWebSocketConnection[];
  /** Decides on each `connection_init`: `undefined` acknowledges it, a close code and reason close the connection. */
  refuse:
    | ((params: Record<string, unknown> | undefined) => { code: number; reason: string } | undefined)
    | undefined;
  /** The connections still open. */
  open(): FakeWebSocketConnection[];
  /** Sends a message to every subscription of the open connections (or the one with `id`). */
  send(message: { type: "next" | "error" | "complete"; payload?: unknown }, id?: string): void;
  /** Resolves once `condition` holds (checked every 10 ms); rejects after `timeout` ms. */
  until(condition: () => boolean, timeout?: number): Promise<void>;
}

/** Serves the fake on `http` (upgrades to `/api/graphql`). */
export function attachFakeGraphQLWebSocket(http: Server): FakeGraphQLWebSocket {
  const server = new WebSocketServer({
    server: http,
    path: "/api/graphql",
    handleProtocols: (protocols) => (protocols.has("graphql-transport-ws") ? "graphql-transport-ws" : false),
  });
  const fake: FakeGraphQLWebSocket = {
    connections: [],
    refuse: undefined,
    open: () => fake.connections.filter((connection) => connection.closeCode === undefined),
    send(message, id) {
      for (const connection of fake.open()) {
        for (const subscriptionId of connection.subscriptions.keys()) {
          if (id !== undefined && subscriptionId !== id) continue;
          connection.socket.send(JSON.stringify({ id: subscriptionId, ...message }));
          if (message.type !== "next") connection.subscriptions.delete(subscriptionId);
        }
      }
    },
    async until(condition, timeout = 5000) {
      const started = Date.now();
      while (!condition()) {
        if (Date.now() - started > timeout) throw new Error("the condition did not hold in time");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
  server.on("connection", (socket) => {
    const connection: FakeWebSocketConnection = {
      socket,
      connectionParams: undefined,
      subscriptions: new Map(),
      completed: [],
      closeCode: undefined,
    };
    fake.connections.push(connection);
    socket.on("close", (code) => {
      connection.closeCode = code;
    });
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        id?: string;
        payload?: { query: string; variables?: unknown } & Record<string, unknown>;
      };
      if (message.type === "connection_init") {
        connection.connectionParams = message.payload;
        const refusal = fake.refuse?.(message.payload);
        if (refusal !== undefined) return socket.close(refusal.code, refusal.reason);
        return socket.send(JSON.stringify({ type: "connection_ack" }));
      }
      if (message.type === "subscribe" && message.id !== undefined && message.payload !== undefined) {
        connection.subscriptions.set(message.id, message.payload);
      }
      if (message.type === "complete" && message.id !== undefined) {
        connection.subscriptions.delete(message.id);
        connection.completed.push(message.id);
      }
    });
  });
  return fake;
}
