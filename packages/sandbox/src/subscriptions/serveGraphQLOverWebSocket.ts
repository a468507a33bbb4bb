import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { paths } from "@kontist-auth/protocol";
import type { ExecutionArgs, GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { CloseCode, handleProtocols, MessageType, makeServer } from "graphql-ws";
import { type WebSocket, WebSocketServer } from "ws";
import { readBearerToken } from "../auth/readBearerToken";
import { readableIpAddress } from "../graphql/callerIpAddress";
import type { GraphQLContext } from "../graphql/GraphQLContext";
import {
  errorEntries,
  executionErrorWithStatus,
  maxGraphQLErrors,
  requestErrorWithStatus,
  withStatus,
} from "../graphql/kontistGraphQLErrors";
import { prepareGraphQLDocument } from "../graphql/prepareGraphQLDocument";
import { sandboxGraphQLRoot } from "../graphql/sandboxGraphQLRoot";
import { sandboxGraphQLSchema } from "../graphql/sandboxGraphQLSchema";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/** Open WebSocket connections the sandbox accepts at a time; a handshake beyond is answered 503. */
export const maxWebSocketConnections = 100;

/** Subscriptions one connection may run at a time; one more is refused with a GraphQL error of status 429. */
export const maxSubscriptionsPerConnection = 200;

/** Largest WebSocket message accepted, in bytes (as the HTTP body limit); a larger one closes with 1009. */
export const maxWebSocketMessageBytes = 64 * 1024;

/** Milliseconds between the server's WebSocket pings; a peer that does not pong within as long is dropped. */
export const webSocketKeepAlive = 12_000;

/** Milliseconds `close()` gives peers to answer the closing handshake before it cuts them off. */
const closeGracePeriod = 500;

/** RFC 6455 §5.5: a close frame's payload is at most 125 bytes, 2 of them the code. */
const maxCloseReasonBytes = 123;

/** The longest wait `setTimeout` takes (2^31 − 1 ms); a longer one fires at once. */
const maxTimerDelay = 2_147_483_647;

/** The message types a client sends (GraphQL over WebSocket); the others only a server does. */
const clientMessageTypes: ReadonlySet<unknown> = new Set([
  MessageType.ConnectionInit,
  MessageType.Ping,
  MessageType.Pong,
  MessageType.Subscribe,
  MessageType.Complete,
]);

/** One WebSocket connection: graphql-ws's `ctx.extra`. */
interface Connection {
  readonly socket: WebSocket;
  readonly ipAddress: string;
  /** The `Authorization` of `connectionParams`, once `onConnect` accepted it. */
  authorization: string | undefined;
  /** Closes the connection when its access token expires. */
  expiry: NodeJS.Timeout | undefined;
}

/** The WebSocket side of the sandbox, as {@link serveGraphQLOverWebSocket} returns it. */
export interface GraphQLWebSocketServer {
  /**
   * Refuses new connections, closes the open ones (1001 Going away; after 500 ms the ones that did not
   * answer are cut off) and resolves once all are closed.
   */
  close(): Promise<void>;
}

/** `reason` cut to what a close frame carries, at a character boundary. */
function fitCloseReason(reason: string | undefined): string {
  let fitted = reason ?? "";
  while (Buffer.byteLength(fitted) > maxCloseReasonBytes) fitted = fitted.slice(0, -1);
  return fitted;
}

/** Whether `text` is a JSON object with the `type` of a message clients send. */
function isClientMessage(text: string): boolean {
  try {
    const message: unknown = JSON.parse(text);
    return (
      typeof message === "object" &&
      message !== null &&
      clientMessageTypes.has((message as { type?: unknown }).type)
    );
  } catch {
    return false;
  }
}

/** The `Authorization` of `connectionParams` (`authorization` accepted too), when it is a string. */
function authorizationParameter(
  parameters: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const value = parameters?.Authorization ?? parameters?.authorization;
  return typeof value === "string" ? value : undefined;
}

/** Answers a WebSocket handshake with an HTTP error `{ message, status }` and closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message, status });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? "/", "http://sandbox.invalid").pathname;
  } catch {
    return undefined;
  }
}

/**
 * Serves GraphQL subscriptions over WebSocket on `server`, at `/api/graphql`, as Kontist does (its SDK
 * connects to `wss://api.kontist.com/api/graphql`): the GraphQL over WebSocket protocol of the graphql-ws
 * package (subprotocol `graphql-transport-ws`), run by graphql-ws's `makeServer` on a `ws` server.
 *
 * - Authentication: `connectionParams.Authorization` is `Bearer <access token>`, checked as the HTTP
 *   routes check the header ({@link readBearerToken}). Without a valid, unexpired token `onConnect`
 *   refuses the connection: it closes with 4403 Forbidden (the reason says why, never quoting the token).
 *   When the token expires, the connection closes with 4403 too, so a client reconnects with a renewed
 *   token.
 * - Operations: subscriptions only (`newTransaction`, which needs a confirmed token: its error has
 *   `extensions { status: 403, type }`); queries and mutations are answered with an error of status 400.
 *   Errors carry Kontist's `extensions { status, type }`, at most 3 of them.
 * - Limits: {@link maxWebSocketConnections} connections (503 beyond), {@link maxSubscriptionsPerConnection}
 *   subscriptions per connection (an error of status 429 beyond), messages up to
 *   {@link maxWebSocketMessageBytes} bytes (1009 beyond), `connection_init` within 3 s (4408), a pong
 *   within {@link webSocketKeepAlive} ms of each ping. A message that is not JSON or not one a client
 *   sends closes the connection with 4400 Bad Request; a handshake elsewhere than `/api/graphql` is 404.
 *
 * Handshakes count in `/sandbox/stats` as `GET /api/graphql`.
 *
 * @example
 * import { createServer } from "node:http";
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const server = createServer();
 * const webSocket = serveGraphQLOverWebSocket(server, createSandboxRuntime(resolveSandboxOptions()));
 * server.listen(4010, "127.0.0.1"); // subscriptions at ws://127.0.0.1:4010/api/graphql
 * await webSocket.close(); // first, then server.close()
 */
export function serveGraphQLOverWebSocket(server: Server, runtime: SandboxRuntime): GraphQLWebSocketServer {
  const { log } = runtime.config;
  const webSockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxWebSocketMessageBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => handleProtocols(protocols),
  });
  let closing: Promise<void> | undefined;

  const closeAtExpiry = (connection: Connection, expiresAt: number) => {
    const wait = expiresAt - runtime.now();
    connection.expiry = setTimeout(
      () => {
        if (runtime.now() < expiresAt) return closeAtExpiry(connection, expiresAt);
        connection.socket.close(CloseCode.Forbidden, "Forbidden: the access token has expired.");
      },
      Math.min(Math.max(wait, 0), maxTimerDelay),
    );
    connection.expiry.unref();
  };

  const graphQL = makeServer<Record<string, unknown>, Connection>({
    onConnect: (ctx) => {
      const authorization = authorizationParameter(ctx.connectionParams);
      const authentication = readBearerToken(runtime, authorization);
      if (!authentication.ok) {
        // A reason that says why; graphql-ws's own close (4403 "Forbidden") then finds the socket closing.
        ctx.extra.socket.close(CloseCode.Forbidden, fitCloseReason(`Forbidden: ${authentication.message}`));
        return false;
      }
      ctx.extra.authorization = authorization;
      closeAtExpiry(ctx.extra, authentication.claims.exp * 1000);
      return true;
    },
    onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
      // graphql-ws lists the new subscription before it asks.
      if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerConnection) {
        const message = `Too many subscriptions on this connection: at most ${maxSubscriptionsPerConnection} at a time.`;
        return [withStatus(new GraphQLError(message), 429)];
      }
      const operationName = payload.operationName ?? undefined;
      const prepared = prepareGraphQLDocument(payload.query, operationName, "websocket");
      if ("errors" in prepared) {
        return prepared.errors.slice(0, maxGraphQLErrors).map((error) => withStatus(error, 400));
      }
      const contextValue: GraphQLContext = {
        runtime,
        authentication: readBearerToken(runtime, ctx.extra.authorization),
        ipAddress: ctx.extra.ipAddress,
      };
      return {
        schema: sandboxGraphQLSchema,
        document: prepared.document,
        rootValue: sandboxGraphQLRoot,
        contextValue,
        variableValues: payload.variables ?? undefined,
        operationName,
      };
    },
    onNext: (_ctx, _id, _payload, _args, result) => {
      if (result.errors === undefined || result.errors.length === 0) return undefined;
      // Without data nothing ran: refused variables, or the subscription's resolver refusing (403).
      const ran = result.data !== undefined;
      const errors = result.errors.map((error) =>
        ran ? executionErrorWithStatus(error, log) : requestErrorWithStatus(error, log),
      );
      return {
        ...(ran ? { data: result.data } : {}),
        errors: errorEntries(errors) as GraphQLFormattedError[],
      };
    },
    // The errors of onSubscribe (which carry their status already), or what a subscription's iterator threw.
    onError: (_ctx, _id, _payload, errors) =>
      errorEntries(
        errors.map((error) =>
          typeof error.extensions.status === "number" ? error : requestErrorWithStatus(error, log),
        ),
      ) as GraphQLFormattedError[],
  });

  webSockets.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    const opened = performance.now();
    const connection: Connection = {
      socket,
      ipAddress: readableIpAddress(request.socket.remoteAddress),
      authorization: undefined,
      expiry: undefined,
    };
    // ws closes the connection itself after a protocol error (1002, 1007, 1009); the event only tells.
    socket.on("error", (error: Error & { code?: unknown }) => {
      log(`WebSocket ${paths.graphQL}: ${typeof error.code === "string" ? error.code : error.name}`);
    });
    let alive = true;
    socket.on("pong", () => {
      alive = true;
    });
    const keepAlive = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, webSocketKeepAlive);
    keepAlive.unref();

    const closed = graphQL.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            // A failed send means the connection is going away; its close ends the subscriptions.
            socket.send(data, () => resolve());
          }),
        close: (code, reason) => socket.close(code, fitCloseReason(reason)),
        onMessage: (handle) =>
          socket.on("message", (data: Buffer) => {
            const text = String(data);
            // graphql-ws would throw on a message only servers send (and close with 4500): refuse it here.
            if (!isClientMessage(text)) return socket.close(CloseCode.BadRequest, "Invalid message received");
            handle(text).catch((error: unknown) => {
              const name = error instanceof Error ? error.name : typeof error;
              log(`Unexpected ${name} in the GraphQL WebSocket handler`);
              socket.close(CloseCode.InternalServerError, "Internal server error");
            });
          }),
      },
      connection,
    );
    socket.once("close", (code: number, reason: Buffer) => {
      clearInterval(keepAlive);
      clearTimeout(connection.expiry);
      log(`WebSocket ${paths.graphQL} closed ${code} after ${Math.round(performance.now() - opened)}ms`);
      closed(code, String(reason)).catch(() => undefined);
    });
  });

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets the connection mid-handshake must not take the process down.
    socket.on("error", () => socket.destroy());
    const path = pathOf(request.url);
    if (path !== paths.graphQL && path !== `${paths.graphQL}/`) {
      log(`${request.method ?? "GET"} ${path ?? "?"} 404 (WebSocket)`);
      return refuseUpgrade(socket, 404, "Not found.");
    }
    runtime.store.count("requests", `GET ${paths.graphQL}`);
    if (closing !== undefined) return refuseUpgrade(socket, 503, "The sandbox is closing.");
    if (webSockets.clients.size >= maxWebSocketConnections) {
      log(`GET ${paths.graphQL} 503 (WebSocket)`);
      return refuseUpgrade(
        socket,
        503,
        `Too many WebSocket connections: at most ${maxWebSocketConnections} at a time.`,
      );
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      log(`GET ${paths.graphQL} 101 (WebSocket)`);
      webSockets.emit("connection", webSocket, request);
    });
  });

  return {
    close() {
      closing ??= (async () => {
        const open = [...webSockets.clients];
        const allClosed = Promise.all(
          open.map(
            (socket) =>
              new Promise<void>((resolve) => {
                if (socket.readyState === socket.CLOSED) return resolve();
                socket.once("close", () => resolve());
              }),
          ),
        );
        for (const socket of open) socket.close(1001, "Going away: the sandbox is closing.");
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([
          allClosed,
          new Promise((resolve) => (grace = setTimeout(resolve, closeGracePeriod))),
        ]);
        clearTimeout(grace);
        for (const socket of webSockets.clients) socket.terminate();
        await allClosed;
        await new Promise<void>((resolve) => webSockets.close(() => resolve()));
      })();
      return closing;
    },
  };
}
