import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { SandboxEnv } from "./SandboxEnv";

/**
 * Refuses a request body over `maxBytes` by calling `onError` (which answers or throws): one announced by
 * `Content-Length` before it is read, a chunked one while Hono's `bodyLimit` buffers it. A request without
 * a body, or within the limit by its `Content-Length`, goes on untouched, so that its Fetch `Request` is
 * never built (see `readBodyText`).
 */
export function limitBody(
  maxBytes: number,
  onError: (c: Context<SandboxEnv>) => Response | Promise<Response>,
): MiddlewareHandler<SandboxEnv> {
  const buffered = bodyLimit({ maxSize: maxBytes, onError });
  return async (c, next) => {
    const headers = c.env?.incoming?.headers;
    if (headers === undefined || headers["transfer-encoding"] !== undefined) return buffered(c, next);
    const length = headers["content-length"];
    if (length !== undefined && Number.parseInt(length, 10) > maxBytes) return onError(c);
    await next();
  };
}
