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
  /** The sign-in session the token belongs to (its `sid`). */
  sessionId: string;
  /** The confirming device; the token then carries `cnf: { kid: deviceId }`. */
  deviceId?: string | undefined;
}

/**
 * Issues an access token: an ES256 JWT with `iss`, `sub`, `scope`, `client_id`, `iat`, `exp`, `jti`, the
 * sandbox's `sid` (the sign-in session) and, when confirmed, `cnf` (RFC 9068 §2.2, RFC 7800 §3.1).
 *
 * `exp` is `iat` plus `accessTokenTtl` (rounded, at least 1). `expires_in` is the whole seconds surely
 * left: the token is issued part-way through the second `iat`, so one less than `exp - iat` (3599 for the
 * default 3600, as Kontist answers), and at least 1 so a short test lifetime still gives a usable token.
 *
 * The claims are fixed when it is called; only the signature is computed afterwards (off the event loop),
 * so a caller that changes state around it should call it before it awaits anything.
 *
 * @returns a promise of the JWT and its `expires_in`.
 * @example
 * import { randomUUID } from "node:crypto";
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * const { accessToken, expiresIn } = await issueAccessToken(runtime, {
 *   userId: "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01",
 *   clientId: "demo-client",
 *   scopes: ["accounts"],
 *   sessionId: randomUUID(),
 * }); // expiresIn: 3599
 */
export function issueAccessToken(
  runtime: SandboxRuntime,
  grant: AccessTokenGrant,
): Promise<{ accessToken: string; expiresIn: number }> {
  const iat = Math.floor(runtime.now() / 1000);
  const lifetime = Math.max(1, Math.round(runtime.config.accessTokenTtl));
  const claims: AccessTokenClaims = {
    iss: runtime.issuer(),
    sub: grant.userId,
    scope: formatScope(grant.scopes),
    client_id: grant.clientId,
    iat,
    exp: iat + lifetime,
    jti: randomUUID(),
    sid: grant.sessionId,
    ...(grant.deviceId === undefined ? {} : { cnf: { kid: grant.deviceId } }),
  };
  const expiresIn = Math.max(1, lifetime - 1);
  return signJwt({ ...claims }, runtime.signingKey, "at+jwt").then((accessToken) => ({
    accessToken,
    expiresIn,
  }));
}
