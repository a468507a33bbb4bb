import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import type { SandboxEnv } from "./SandboxEnv";

// The same decoding as `Request.text()`: UTF-8, a leading BOM dropped, bad bytes as U+FFFD.
const utf8 = new TextDecoder();

/** Reads a Node request body to its end; rejects when the request errs or closes before its end. */
function readIncoming(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))));
    incoming.once("error", reject);
    incoming.once("close", () => {
      if (!incoming.readableEnded) reject(new Error("The request closed before its body ended."));
    });
  });
}

/**
 * The request body as text, read once per request however many times it is asked for. A body announced
 * by `Content-Length` (already checked against the size limit, see `limitBody`) is read straight from the
 * Node request; any other (a chunked body, already buffered by the limit, or an `app.request()` in a test)
 * through the Fetch `Request`, which costs a web stream and an abort signal per request.
 *
 * @returns a promise that rejects when the body does not arrive whole (the connection closed, or
 *   `requestTimeout` cut it off).
 */
export function readBodyText(c: Context<SandboxEnv>): Promise<string> {
  let text = c.get("bodyText");
  if (text === undefined) {
    const incoming = c.env?.incoming;
    const direct =
      incoming !== undefined &&
      !incoming.readableDidRead &&
      incoming.headers["transfer-encoding"] === undefined;
    text = direct ? readIncoming(incoming) : c.req.text();
    c.set("bodyText", text);
  }
  return text;
}
