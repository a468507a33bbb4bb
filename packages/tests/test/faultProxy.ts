import { connect, createServer, type Socket } from "node:net";
import { type HttpMessage, MessageReader, serializeRequest, serializeResponse } from "./faultProxyMessages";

// A loopback HTTP/1.1 proxy between a client and the sandbox that breaks chosen requests the ways a
// network, a gateway or a server break them. It reads each request whole (request line, headers, body),
// decides a fault for it (a queued one first, then the rule), and otherwise forwards it on a fresh
// upstream connection and relays the answer on the client's kept-alive connection.

/** What the proxy does to one request instead of forwarding it plainly. */
export type Fault =
  /** Answers `status` (default 503) with `{ message, status }` itself; the request is not forwarded. */
  | { kind: "status"; status?: number }
  /** Answers 429 with `Retry-After: retryAfter` (default "1"); not forwarded. */
  | { kind: "rateLimit"; retryAfter?: string }
  /** Forwards the request and holds the answer `ms` before relaying it (past the client's timeout). */
  | { kind: "delay"; ms: number }
  /** Resets the connection (TCP RST) before the request reaches the sandbox. */
  | { kind: "resetBeforeForward" }
  /** Forwards the request, waits for the sandbox's whole answer, then resets the connection instead. */
  | { kind: "resetAfterForward" }
  /**
   * Forwards the request and relays half of the answer's body: with the full `Content-Length`, then
   * closes the connection (default); with `keepLength: false`, as a complete answer that is shorter.
   */
  | { kind: "truncate"; keepLength?: boolean }
  /** Forwards the request and relays an HTML page instead of the answer's body, status kept. */
  | { kind: "nonJson" }
  /** Forwards the request and relays the answer's body as it is, labelled `text/html`. */
  | { kind: "wrongContentType" }
  /**
   * Forwards the request and holds the answer until the client has closed its connection (its caller
   * aborted, or its timeout fired), at most `maxMs` (default 30 s); then writes it into the closed socket.
   */
  | { kind: "holdUntilAborted"; maxMs?: number };

export type FaultKind = Fault["kind"];
export const faultKinds: readonly FaultKind[] = [
  "status",
  "rateLimit",
  "delay",
  "resetBeforeForward",
  "resetAfterForward",
  "truncate",
  "nonJson",
  "wrongContentType",
  "holdUntilAborted",
];

/** A request as the proxy read it. */
export interface ProxiedRequest {
  /** 1 for the first request the proxy read, and so on. */
  readonly index: number;
  readonly method: string;
  /** The request target, e.g. `/api/graphql`. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /**
   * What the request does beyond its route: for `POST /api/graphql` the operation type and first field
   * (`mutation createDeviceBindingRequest`), for `POST /api/oauth/token` the grant (`grant refresh_token`).
   */
  readonly operation: string | undefined;
}

/** One line of the proxy's log, updated as the request goes. */
export interface ProxyLogEntry {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly operation: string | undefined;
  /** `performance.now()` when the request had been read. */
  readonly at: number;
  /** The fault applied, if any. */
  fault: FaultKind | undefined;
  /** Whether the request reached the sandbox. */
  forwarded: boolean;
  /** The status of the answer the client was sent (maybe cut short); `undefined` when none was. */
  status: number | undefined;
  /** Whether the client had closed the connection before its answer was written. */
  clientGone: boolean;
}

/** Picks the fault for a request, or `undefined` to forward it plainly. */
export type FaultRule = (request: ProxiedRequest) => Fault | undefined;

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: the client's `baseUrl`. */
  readonly url: string;
  /** Every request read so far, in order. */
  readonly log: readonly ProxyLogEntry[];
  /** The next request matching `match` (default: any) gets `fault`; queued faults apply in order. */
  inject(fault: Fault, match?: (request: ProxiedRequest) => boolean): void;
  /** Decides the fault of every request no queued fault took; `undefined` forwards everything. */
  setRule(rule: FaultRule | undefined): void;
  /** Drops the queue and the rule. */
  clear(): void;
  /** The log entries matching `match`. */
  entries(match: (entry: ProxyLogEntry) => boolean): ProxyLogEntry[];
  /** Stops listening and destroys every connection, pending answers included. */
  close(): Promise<void>;
}

const holdDefaultMs = 30_000;
const htmlPage = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";

/**
 * Starts a proxy on a free loopback port in front of `upstream` (the sandbox's URL).
 *
 * @example
 * const proxy = await startFaultProxy(sandbox.url);
 * proxy.inject({ kind: "resetAfterForward" }, (request) => request.path === "/api/oauth/token");
 * const client = confidentialClientOf(proxy);
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const upstreamPort = Number(target.port || 80);
  const upstreamHost = target.hostname.replace(/^\[|\]$/g, "");
  const queue: { fault: Fault; match: (request: ProxiedRequest) => boolean }[] = [];
  let rule: FaultRule | undefined;
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const wait = (ms: number, until?: Promise<unknown>) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timers.add(timer);
      function done() {
        clearTimeout(timer);
        timers.delete(timer);
        resolve();
      }
      until?.then(done, done);
    });

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    return socket;
  };

  const pickFault = (request: ProxiedRequest): Fault | undefined => {
    const queued = queue.findIndex((entry) => entry.match(request));
    if (queued >= 0) return queue.splice(queued, 1)[0]?.fault;
    return rule?.(request);
  };

  /** Sends `request` on a fresh upstream connection and reads its whole answer. */
  const forward = (request: HttpMessage) =>
    new Promise<HttpMessage>((resolve, reject) => {
      const socket = track(connect(upstreamPort, upstreamHost));
      const reader = new MessageReader(socket, "response");
      socket.on("connect", () => socket.write(serializeRequest(request)));
      reader.next().then((answer) => {
        socket.destroy();
        if (answer === undefined) reject(new Error("the sandbox closed the connection without an answer"));
        else resolve(answer);
      }, reject);
    });

  const send = (socket: Socket, entry: ProxyLogEntry, answer: HttpMessage, closeAfter: boolean) => {
    entry.clientGone = socket.destroyed;
    if (socket.destroyed) return;
    entry.status = answer.status;
    socket.write(serializeResponse(answer));
    if (closeAfter) socket.end();
  };

  const answerItself = (status: number, extra: Record<string, string> = {}): HttpMessage => {
    const body = Buffer.from(JSON.stringify({ message: `Injected fault: HTTP ${status}`, status }));
    const headers = { "content-type": "application/json", date: new Date().toUTCString(), ...extra };
    return { status, headers, body };
  };

  async function handle(socket: Socket, request: HttpMessage, gone: Promise<void>): Promise<boolean> {
    const proxied = proxiedRequest(request, log.length + 1);
    const entry: ProxyLogEntry = {
      index: proxied.index,
      method: proxied.method,
      path: proxied.path,
      operation: proxied.operation,
      at: performance.now(),
      fault: undefined,
      forwarded: false,
      status: undefined,
      clientGone: false,
    };
    log.push(entry);
    const fault = pickFault(proxied);
    entry.fault = fault?.kind;
    const closeAfter = request.headers.connection?.toLowerCase() === "close";
    switch (fault?.kind) {
      case "status":
        send(socket, entry, answerItself(fault.status ?? 503), closeAfter);
        return !closeAfter;
      case "rateLimit":
        send(socket, entry, answerItself(429, { "retry-after": fault.retryAfter ?? "1" }), closeAfter);
        return !closeAfter;
      case "resetBeforeForward":
        socket.resetAndDestroy();
        return false;
      default:
    }
    entry.forwarded = true;
    let answer: HttpMessage;
    try {
      answer = await forward(request);
    } catch {
      if (!socket.destroyed) socket.resetAndDestroy();
      return false;
    }
    switch (fault?.kind) {
      case "delay":
        await wait(fault.ms);
        break;
      case "holdUntilAborted":
        await wait(fault.maxMs ?? holdDefaultMs, gone);
        break;
      case "resetAfterForward":
        if (!socket.destroyed) socket.resetAndDestroy();
        return false;
      case "truncate": {
        const half = answer.body.subarray(0, Math.floor(answer.body.length / 2));
        if (fault.keepLength === false) {
          send(socket, entry, { ...answer, body: half }, closeAfter);
          return !closeAfter;
        }
        entry.clientGone = socket.destroyed;
        if (socket.destroyed) return false;
        entry.status = answer.status;
        socket.end(serializeResponse(answer).subarray(0, -(answer.body.length - half.length) || undefined));
        return false;
      }
      case "nonJson":
        if (answer.status === 204 || answer.status === 304) break; // no body to replace
        answer = {
          ...answer,
          headers: { ...answer.headers, "content-type": "text/html" },
          body: Buffer.from(htmlPage),
        };
        break;
      case "wrongContentType":
        answer = { ...answer, headers: { ...answer.headers, "content-type": "text/html; charset=utf-8" } };
        break;
      default:
    }
    if (closed) return false;
    send(socket, entry, answer, closeAfter);
    return !closeAfter && !socket.destroyed;
  }

  async function serve(socket: Socket) {
    track(socket);
    const gone = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const reader = new MessageReader(socket, "request");
    for (;;) {
      const request = await reader.next().catch(() => undefined);
      if (request === undefined || closed) break;
      if (request.headers.upgrade !== undefined) {
        tunnel(socket, request, reader.rest());
        return;
      }
      if (!(await handle(socket, request, gone))) break;
    }
    if (!socket.destroyed) socket.destroy();
  }

  /** WebSocket upgrades and other protocol switches: relayed byte for byte, no faults. */
  function tunnel(socket: Socket, request: HttpMessage, rest: Buffer) {
    const upstreamSocket = track(connect(upstreamPort, upstreamHost));
    upstreamSocket.on("connect", () => {
      upstreamSocket.write(serializeRequest(request, false));
      if (rest.length > 0) upstreamSocket.write(rest);
      socket.removeAllListeners("data"); // the reader's: from here on, bytes are relayed, not parsed
      socket.pipe(upstreamSocket).pipe(socket);
    });
    socket.on("close", () => upstreamSocket.destroy());
    upstreamSocket.on("close", () => socket.destroy());
  }

  const server = createServer((socket) => void serve(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no port");

  return {
    url: `http://127.0.0.1:${address.port}`,
    log,
    inject: (fault, match = () => true) => void queue.push({ fault, match }),
    setRule: (next) => {
      rule = next;
    },
    clear: () => {
      queue.length = 0;
      rule = undefined;
    },
    entries: (match) => log.filter(match),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

function proxiedRequest(request: HttpMessage, index: number): ProxiedRequest {
  const method = request.method ?? "";
  const path = request.target ?? "";
  return {
    index,
    method,
    path,
    headers: request.headers,
    body: request.body,
    operation: requestOperation(method, path, request.body),
  };
}

/**
 * `query viewer`, `mutation createDeviceBindingRequest`: the operation type and first field of a GraphQL
 * request; `grant password`: the grant type of a token request; `undefined` for any other request.
 */
export function requestOperation(method: string, path: string, body: Buffer): string | undefined {
  if (method !== "POST") return undefined;
  if (path.startsWith("/api/oauth/token")) {
    const grant = new URLSearchParams(body.toString("utf8")).get("grant_type");
    return grant === null ? undefined : `grant ${grant}`;
  }
  if (!path.startsWith("/api/graphql")) return undefined;
  let query: unknown;
  try {
    query = (JSON.parse(body.toString("utf8")) as { query?: unknown }).query;
  } catch {
    return undefined;
  }
  if (typeof query !== "string") return undefined;
  const match = /^\s*(?:(query|mutation|subscription)\b[^{]*)?\{\s*(?:\w+\s*:\s*)?(\w+)/.exec(query);
  if (match === null) return undefined;
  return `${match[1] ?? "query"} ${match[2]}`;
}
