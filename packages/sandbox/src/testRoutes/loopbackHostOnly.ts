import { isLoopbackHostname } from "@kontist-auth/protocol";
import type { MiddlewareHandler } from "hono";
import { apiErrorResponse } from "../http/errorResponse";
import type { SandboxEnv } from "../http/SandboxEnv";

/**
 * Whether a `Host` header names this machine: `localhost` (or a name under `.localhost`, RFC 6761 §6.3),
 * an address in 127.0.0.0/8, or `[::1]`, with any port.
 *
 * @example
 * isLoopbackHost("127.0.0.1:4010"); // true
 * isLoopbackHost("sandbox.example:4010"); // false
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || !/^[A-Za-z0-9.\-[\]:]+$/.test(host)) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return isLoopbackHostname(hostname);
}

/**
 * Answers the test-support routes (`/sandbox/*`) only to requests whose `Host` is a loopback name, so a
 * web page cannot reach them through DNS rebinding; others get 403 `{ message, status }`.
 *
 * @example
 * import { Hono } from "hono";
 * import type { SandboxEnv } from "../http/SandboxEnv";
 *
 * const app = new Hono<SandboxEnv>();
 * app.use("/sandbox/*", loopbackHostOnly());
 * app.get("/sandbox/ping", (c) => c.text("pong"));
 */
export function loopbackHostOnly(): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    if (!isLoopbackHost(c.req.header("host"))) {
      return apiErrorResponse(
        c,
        403,
        "Test-support routes answer only requests whose Host is a loopback name (localhost, 127.0.0.1, [::1]).",
      );
    }
    await next();
  };
}
