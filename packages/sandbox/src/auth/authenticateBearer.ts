import type { Context } from "hono";
import { ApiError } from "../http/ApiError";
import type { SandboxEnv } from "../http/SandboxEnv";
import { verifyAccessToken } from "../jwt/verifyAccessToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";

const challenge = { "WWW-Authenticate": 'Bearer error="invalid_token"' };
const bearerHeader = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

/**
 * Accepts a request only with `Authorization: Bearer <access token>` carrying a valid, unexpired token
 * of this sandbox run for a known user (RFC 6750 §2.1), and puts its claims and user on the context.
 *
 * @throws {ApiError} 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1) otherwise.
 */
export function authenticateBearer(runtime: SandboxRuntime, c: Context<SandboxEnv>): void {
  const token = bearerHeader.exec(c.req.header("authorization") ?? "")?.[1];
  if (token === undefined) {
    throw new ApiError(401, "An access token is required (Authorization: Bearer <token>).", challenge);
  }
  const claims = verifyAccessToken(runtime, token);
  const user = claims && runtime.store.users.get(claims.sub);
  if (claims === undefined || user === undefined) {
    throw new ApiError(401, "The access token is invalid or has expired.", challenge);
  }
  c.set("accessToken", claims);
  c.set("user", user);
}
