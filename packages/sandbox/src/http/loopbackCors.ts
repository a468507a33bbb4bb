import { cors } from "hono/cors";

const loopbackOrigin = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * CORS for browser apps served from a loopback origin (`http://localhost:*`, `http://127.0.0.1:*`), so a
 * local web demo can call the sandbox; other origins get no CORS headers.
 */
export function loopbackCors() {
  return cors({
    origin: (origin) => (loopbackOrigin.test(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["WWW-Authenticate"],
    maxAge: 600,
  });
}
