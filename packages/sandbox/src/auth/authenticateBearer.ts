import type { Context } from "hono";
import { ApiError } from "../http/ApiError";
import type { SandboxEnv } from "../http/SandboxEnv";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { readBearerToken } from "./readBearerToken";

const challenge = { "WWW-Authenticate": 'Bearer error="invalid_token"' };

/**
 * Accepts a request only with `Authorization: Bearer <access token>` carrying a valid, unexpired token
 * of this sandbox run for a known user (RFC 6750 §2.1, checked by {@link readBearerToken}), and puts its
 * claims and user on the context.
 *
 * @throws {ApiError} 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1) otherwise.
 */
export function authenticateBearer(runtime: SandboxRuntime, c: Context<SandboxEnv>): void {
  const authentication = readBearerToken(runtime, c.req.header("authorization"));
  if (!authentication.ok) throw new ApiError(401, authentication.message, challenge);
  c.set("accessToken", authentication.claims);
  c.set("user", authentication.user);
}
