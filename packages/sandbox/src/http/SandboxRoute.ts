import type { Context } from "hono";
import type { SandboxEnv } from "./SandboxEnv";

/** One endpoint of the sandbox. */
export interface SandboxRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path as the API docs write it, `{name}` for a path parameter; also the key in `/sandbox/stats`. */
  path: string;
  /** Needs `Authorization: Bearer <access token>` (every `/api/user/*` route). */
  bearer?: boolean;
  /** Counted in `/sandbox/stats`. Default `true`; test-support routes are not counted. */
  counted?: boolean;
  /**
   * Adds the route's own counters (the token endpoint counts its `grant_type`) as the request is counted,
   * before any injected fault or any check, so refused and faulted requests count too. Never throws for
   * bad input.
   */
  countDetails?: (c: Context<SandboxEnv>) => void | Promise<void>;
  handler: (c: Context<SandboxEnv>) => Response | Promise<Response>;
}

/** The key of a route in `/sandbox/stats` and in `POST /sandbox/faults`: `METHOD /path/{pattern}`. */
export function routeKey(route: Pick<SandboxRoute, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
