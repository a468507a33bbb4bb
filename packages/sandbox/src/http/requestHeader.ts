import type { Context } from "hono";
import type { SandboxEnv } from "./SandboxEnv";

/** Whitespace the Fetch standard strips from both ends of a header value. */
const edgeWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * A request header as `c.req.header(name)` answers it (the Fetch `Headers.get`: each value stripped of
 * surrounding whitespace, repeated headers joined with `, `, `undefined` when absent), read from the Node
 * request's raw headers when there is one, so that no Fetch `Headers` is built per request for it.
 *
 * @param name - the header name, lower-case.
 */
export function requestHeader(c: Context<SandboxEnv>, name: string): string | undefined {
  const raw = c.env?.incoming?.rawHeaders;
  if (raw === undefined) return c.req.header(name);
  let value: string | undefined;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const key = raw[index] as string;
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const item = (raw[index + 1] as string).replace(edgeWhitespace, "");
    value = value === undefined ? item : `${value}, ${item}`;
  }
  return value;
}
