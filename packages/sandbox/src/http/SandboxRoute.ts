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
  handler: (c: Context<SandboxEnv>) => Response | Promise<Response>;
}
