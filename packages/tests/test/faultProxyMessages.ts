import type { Socket } from "node:net";

// The HTTP/1.1 the fault proxy needs: reading whole requests and answers off a socket (request or status
// line, headers, a Content-Length or chunked body, or for an answer without either, the body up to the
// close) and writing them back with a Content-Length.

/** A request (`method`, `target`) or an answer (`status`, `statusText`), read whole. */
export interface HttpMessage {
  method?: string;
  target?: string;
  status?: number;
  statusText?: string;
  /** Header names in lower case; repeated headers joined with `, ` (`set-cookie` with `\n`). */
  headers: Record<string, string>;
  /** The body, de-chunked. */
  body: Buffer;
}

const headerEnd = Buffer.from("\r\n\r\n");
const crlf = Buffer.from("\r\n");
/** Headers the proxy sets itself when it writes a message. */
const framing = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/** Reads messages one after another off `socket`. */
export class MessageReader {
  #buffer = Buffer.alloc(0);
  #ended = false;
  #wake: (() => void) | undefined;
  readonly #kind: "request" | "response";

  constructor(socket: Socket, kind: "request" | "response") {
    this.#kind = kind;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    const end = () => {
      this.#ended = true;
      this.#wake?.();
    };
    socket.on("end", end);
    socket.on("close", end);
  }

  /** The next whole message; `undefined` when the connection ends first. */
  async next(): Promise<HttpMessage | undefined> {
    for (;;) {
      const message = this.#parse();
      if (message !== undefined) return message;
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  /** What was read past the last message (the first bytes of a tunnelled protocol). */
  rest(): Buffer {
    return this.#buffer;
  }

  #parse(): HttpMessage | undefined {
    const end = this.#buffer.indexOf(headerEnd);
    if (end < 0) return undefined;
    const [startLine = "", ...lines] = this.#buffer.subarray(0, end).toString("latin1").split("\r\n");
    const message = this.#startLine(startLine);
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const previous = message.headers[name];
      message.headers[name] =
        previous === undefined ? value : `${previous}${name === "set-cookie" ? "\n" : ", "}${value}`;
    }
    const bodyStart = end + headerEnd.length;
    const body = this.#body(message, bodyStart);
    if (body === undefined) return undefined;
    message.body = body.body;
    this.#buffer = this.#buffer.subarray(body.next);
    return message;
  }

  #startLine(line: string): HttpMessage {
    if (this.#kind === "request") {
      const [method = "", target = ""] = line.split(" ");
      return { method, target, headers: {}, body: Buffer.alloc(0) };
    }
    const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(line);
    return {
      status: Number(match?.[1] ?? 502),
      statusText: match?.[2] ?? "",
      headers: {},
      body: Buffer.alloc(0),
    };
  }

  /** The body starting at `start`, and where the next message starts; `undefined` until it is all here. */
  #body(message: HttpMessage, start: number): { body: Buffer; next: number } | undefined {
    const buffer = this.#buffer;
    if (/chunked/i.test(message.headers["transfer-encoding"] ?? "")) {
      const chunks: Buffer[] = [];
      let at = start;
      for (;;) {
        const lineEnd = buffer.indexOf(crlf, at);
        if (lineEnd < 0) return undefined;
        const size = Number.parseInt(buffer.subarray(at, lineEnd).toString("latin1").split(";")[0] ?? "", 16);
        if (!Number.isFinite(size)) throw new Error("malformed chunked body");
        at = lineEnd + 2;
        if (size === 0) {
          // Trailers (none expected), then the empty line.
          const trailersEnd = buffer.subarray(at, at + 2).equals(crlf) ? at : buffer.indexOf(headerEnd, at);
          if (trailersEnd < 0) return undefined;
          return { body: Buffer.concat(chunks), next: trailersEnd === at ? at + 2 : trailersEnd + 4 };
        }
        if (buffer.length < at + size + 2) return undefined;
        chunks.push(buffer.subarray(at, at + size));
        at += size + 2;
      }
    }
    const length = message.headers["content-length"];
    if (length !== undefined) {
      const size = Number(length);
      if (buffer.length < start + size) return undefined;
      return { body: buffer.subarray(start, start + size), next: start + size };
    }
    const bodyless =
      this.#kind === "request" ||
      message.status === 204 ||
      message.status === 304 ||
      (message.status ?? 0) < 200;
    if (bodyless) return { body: Buffer.alloc(0), next: start };
    // An answer without a length ends with the connection.
    if (!this.#ended) return undefined;
    return { body: buffer.subarray(start), next: buffer.length };
  }
}

function headerLines(headers: Record<string, string>, raw: boolean): string {
  let lines = "";
  for (const [name, value] of Object.entries(headers)) {
    if (!raw && framing.has(name)) continue;
    for (const one of name === "set-cookie" ? value.split("\n") : [value]) lines += `${name}: ${one}\r\n`;
  }
  return lines;
}

/**
 * A request for a fresh upstream connection: `Connection: close` and a `Content-Length`. With
 * `framed: false` its headers go out as they came (an upgrade request keeps `Connection: upgrade`).
 */
export function serializeRequest(request: HttpMessage, framed = true): Buffer {
  let head = `${request.method} ${request.target} HTTP/1.1\r\n${headerLines(request.headers, !framed)}`;
  if (framed) {
    head += "connection: close\r\n";
    if (request.body.length > 0 || request.headers["content-length"] !== undefined) {
      head += `content-length: ${request.body.length}\r\n`;
    }
  }
  return Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), request.body]);
}

/** An answer on the client's kept-alive connection, with the `Content-Length` of its body. */
export function serializeResponse(response: HttpMessage): Buffer {
  const status = response.status ?? 502;
  const statusLine = `HTTP/1.1 ${status} ${response.statusText ?? ""}`.trimEnd();
  const length = status === 204 || status === 304 ? "" : `content-length: ${response.body.length}\r\n`;
  const head = `${statusLine}\r\n${headerLines(response.headers, false)}${length}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), response.body]);
}
