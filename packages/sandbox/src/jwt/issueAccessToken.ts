import { randomUUID } from "node:crypto";
import { formatScope } from "@kontist-auth/protocol";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { AccessTokenClaims } from "./AccessTokenClaims";
import { signJwt } from "./signJwt";

/** Whom and what an access token is for. */
export interface AccessTokenGrant {
  userId: string;
  clientId: string;
  scopes: readonly string[];
  /** The confirming device; the token then carries `cnf: { kid: deviceId }`. */
  deviceId?: string | undefined;
}

/**
 * Issues an access token: an ES256 JWT with `iss`, `sub`, `scope`, `client_id`, `iat`, `exp`, `jti` and,
 * when confirmed, `cnf` (RFC 9068 §2.2, RFC 7800 §3.1).
 *
 * @returns the JWT and its lifetime in whole seconds (`expires_in`).
 */
export function issueAccessToken(
  runtime: SandboxRuntime,
  grant: AccessTokenGrant,
): { accessToken: string; expiresIn: number } {
  const iat = Math.floor(runtime.now() / 1000);
  const expiresIn = Math.max(1, Math.round(runtime.config.accessTokenTtl));
  const claims: AccessTokenClaims = {
    iss: runtime.issuer(),
    sub: grant.userId,
    scope: formatScope(grant.scopes),
    client_id: grant.clientId,
    iat,
    exp: iat + expiresIn,
    jti: randomUUID(),
    ...(grant.deviceId === undefined ? {} : { cnf: { kid: grant.deviceId } }),
  };
  return { accessToken: signJwt({ ...claims }, runtime.signingKey, "at+jwt"), expiresIn };
}
