import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { requestHeader } from "./requestHeader";
import type { SandboxEnv } from "./SandboxEnv";

const loopbackOrigin = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * CORS for browser apps served from a loopback origin (`http://localhost:*`, `http://127.0.0.1:*`), so a
 * local web demo can call the sandbox; other origins get no CORS headers. Every answer says it varies
 * with `Origin`.
 */
export function loopbackCors(): MiddlewareHandler<SandboxEnv> {
  const loopback = cors({
    origin: (origin) => (loopbackOrigin.test(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["WWW-Authenticate"],
    maxAge: 600,
  });
  return async (c, next) => {
    if (requestHeader(c, "origin") !== undefined || c.req.method === "OPTIONS") return loopback(c, next);
    // No CORS request, so no CORS headers; `Vary` is set before the handler answers, so the answer is
    // built with it (Hono's cors adds it afterwards, which copies every answer into a new Response).
    c.header("Vary", "Origin");
    await next();
  };
}
