import type { Hono } from "hono";
import { authenticateBearer } from "../auth/authenticateBearer";
import { applyFault } from "../faults/applyFault";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { errorResponseFor } from "./errorResponse";
import { enforceRateLimit, isRateLimited } from "./rateLimit";
import type { SandboxEnv } from "./SandboxEnv";
import { routeKey, type SandboxRoute } from "./SandboxRoute";

const parameter = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/**
 * Mounts `routes` on `app`: counts each request under `METHOD /path/{pattern}` (before authentication,
 * so refused requests count too), applies `rateLimit` to `/api/*` routes, applies a fault armed with
 * `POST /sandbox/faults`, checks the bearer token where asked, and answers a known path with another
 * method 405 JSON with `Allow`, and an unknown path 404 JSON.
 */
export function registerRoutes(
  app: Hono<SandboxEnv>,
  routes: readonly SandboxRoute[],
  runtime: SandboxRuntime,
): void {
  for (const route of routes) {
    const key = routeKey(route);
    app.on(route.method, route.path.replace(parameter, ":$1"), async (c) => {
      if (route.counted !== false) {
        runtime.store.count("requests", key);
        await route.countDetails?.(c);
        const limited = isRateLimited(route.path) ? enforceRateLimit(runtime, c) : undefined;
        if (limited !== undefined) return limited;
        const fault = runtime.store.takeFault(key);
        if (fault !== undefined) {
          const answer = await applyFault(c, fault);
          if (answer !== undefined) return answer;
        }
      }
      if (route.bearer === true) authenticateBearer(runtime, c);
      return route.handler(c);
    });
  }

  const matchers = routes.map((route) => ({
    method: route.method,
    pattern: new RegExp(
      `^${route.path
        .split(parameter)
        .map((part, index) => (index % 2 === 1 ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("")}/?$`,
    ),
  }));
  app.notFound((c) => {
    const allowed = matchers.filter((matcher) => matcher.pattern.test(c.req.path)).map((m) => m.method);
    if (allowed.length === 0) return errorResponseFor(c, 404, "Not found.");
    const allow = [...new Set(allowed.includes("GET") ? [...allowed, "HEAD"] : allowed)].join(", ");
    return errorResponseFor(c, 405, `Method ${c.req.method} is not allowed here.`, { Allow: allow });
  });
}
