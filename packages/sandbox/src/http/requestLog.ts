import type { MiddlewareHandler } from "hono";
import type { SandboxEnv } from "./SandboxEnv";

/**
 * Logs `METHOD /path STATUS Nms` per request, with `(injected FAULT)` when a fault was injected (`reset` in
 * place of the status when the connection was dropped). The query string is left out (it can carry an
 * authorization code); no header or body is ever logged.
 */
export function requestLog(log: (line: string) => void): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const fault = c.get("fault");
    const outcome = fault === "reset" ? "reset" : String(c.res.status);
    const note = fault === undefined ? "" : ` (injected ${fault})`;
    log(`${c.req.method} ${c.req.path} ${outcome} ${Math.round(performance.now() - started)}ms${note}`);
  };
}
