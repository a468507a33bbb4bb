import type { Context } from "hono";
import { readBearerToken } from "../auth/readBearerToken";
import { callerIpAddress } from "../graphql/callerIpAddress";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { apiErrorResponse } from "./errorResponse";
import type { SandboxEnv } from "./SandboxEnv";

/** Whether `rateLimit` applies to a route: Kontist's API (`/api/*`), never the test support (`/sandbox/*`). */
export function isRateLimited(path: string): boolean {
  return path.startsWith("/api/");
}

/**
 * What a request is counted under: its access token (by `jti`) when it carries a valid one, else the
 * client's IP address; the store never keeps the token itself.
 */
function budgetKey(runtime: SandboxRuntime, c: Context<SandboxEnv>): string {
  const authentication = readBearerToken(runtime, c.req.header("authorization"));
  return authentication.ok ? `token ${authentication.claims.jti}` : `ip ${callerIpAddress(c)}`;
}

/**
 * Applies the `rateLimit` option (Kontist's "under 100 requests a minute") to one request: at most
 * `requests` requests per `windowMs` milliseconds (a sliding window) per access token, or per IP address
 * without a valid token. A request over the limit is not let through and does not count against the
 * window.
 *
 * @returns a 429 `{ message, status }` answer with `Retry-After` (whole seconds, at least 1, until the
 *   oldest request leaves the window), or `undefined` when the request may go on (always without a limit).
 * @example
 * import type { SandboxRoute } from "./SandboxRoute";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * const limited = (runtime: SandboxRuntime, route: SandboxRoute): SandboxRoute => ({
 *   ...route,
 *   handler: (c) => enforceRateLimit(runtime, c) ?? route.handler(c),
 * });
 */
export function enforceRateLimit(runtime: SandboxRuntime, c: Context<SandboxEnv>): Response | undefined {
  const limit = runtime.config.rateLimit;
  if (limit === false) return undefined;
  const key = budgetKey(runtime, c);
  const now = runtime.now();
  const windows = runtime.store.rateLimitWindows;
  const window = windows.get(key) ?? [];
  while (window.length > 0 && (window[0] ?? 0) <= now - limit.windowMs) window.shift();
  const oldest = window[0];
  if (window.length < limit.requests || oldest === undefined) {
    window.push(now);
    windows.set(key, window);
    return undefined;
  }
  const retryAfter = Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000));
  return apiErrorResponse(
    c,
    429,
    `Too many requests: at most ${limit.requests} per ${limit.windowMs / 1000} seconds per access token ` +
      `(rateLimit, --rate-limit). Try again in ${retryAfter} seconds.`,
    { "Retry-After": String(retryAfter) },
  );
}
