import type { MiddlewareHandler } from "hono";

/**
 * Logs `METHOD /path STATUS Nms` per request. The query string is left out (it can carry an
 * authorization code); no header or body is ever logged.
 */
export function requestLog(log: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms`);
  };
}
