import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
import { verifyAccessToken } from "../jwt/verifyAccessToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { UserRecord } from "../state/SandboxStore";

/** What a request's `Authorization` header proves: a user and the token's claims, or why not. */
export type BearerAuthentication =
  | { ok: true; claims: AccessTokenClaims; user: UserRecord }
  | { ok: false; message: string };

const bearerHeader = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

/**
 * Reads `Authorization: Bearer <access token>` (RFC 6750 §2.1): a valid, unexpired token of this sandbox
 * run for a known user. A header of another scheme or a malformed one counts as no token. Never throws;
 * the message of a refusal never quotes the header.
 *
 * @example
 * import type { SandboxRoute } from "../http/SandboxRoute";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * const meRoute = (runtime: SandboxRuntime): SandboxRoute => ({
 *   method: "GET",
 *   path: "/me",
 *   handler: (c) => {
 *     const authentication = readBearerToken(runtime, c.req.header("authorization"));
 *     if (!authentication.ok) return c.json({ message: authentication.message, status: 401 }, 401);
 *     return c.json({ email: authentication.user.email, scope: authentication.claims.scope });
 *   },
 * });
 */
export function readBearerToken(
  runtime: SandboxRuntime,
  authorization: string | undefined,
): BearerAuthentication {
  const token = bearerHeader.exec(authorization ?? "")?.[1];
  if (token === undefined) {
    return { ok: false, message: "An access token is required (Authorization: Bearer <token>)." };
  }
  const claims = verifyAccessToken(runtime, token);
  const user = claims && runtime.store.users.get(claims.sub);
  if (claims === undefined || user === undefined) {
    return { ok: false, message: "The access token is invalid or has expired." };
  }
  return { ok: true, claims, user };
}
