import { type SandboxStats, sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * `GET /sandbox/stats`: `{ requests: { "POST /api/oauth/token": n, … }, grants: { password: n, … } }`,
 * requests per method and route pattern (refused ones included; `/sandbox/*` not counted) and token
 * requests per `grant_type`, since the start or the last reset.
 */
export function readStatsRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: sandboxPaths.stats,
    counted: false,
    handler: (c) => {
      const { requests, grants } = runtime.store.stats;
      const body: SandboxStats = {
        requests: Object.fromEntries(requests),
        grants: Object.fromEntries(grants),
      };
      return c.json(body, 200);
    },
  };
}
