import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { AccessTokenClaims } from "./AccessTokenClaims";
import { verifyJwt } from "./verifyJwt";

const isString = (value: unknown): value is string => typeof value === "string" && value !== "";
const isSeconds = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/**
 * Checks an access token issued by this sandbox run: signature, `kid`, the claims' types, the issuer and
 * that `exp` has not passed (RFC 9068 §4).
 *
 * @returns the claims, or `undefined` for a token that is invalid or expired (never throws).
 */
export function verifyAccessToken(runtime: SandboxRuntime, token: string): AccessTokenClaims | undefined {
  const payload = verifyJwt(token, runtime.signingKey);
  if (payload === undefined) return undefined;
  const { iss, sub, scope, client_id, iat, exp, jti, sid, cnf } = payload;
  if (!isString(iss) || !isString(sub) || typeof scope !== "string" || !isString(client_id)) return undefined;
  if (!isSeconds(iat) || !isSeconds(exp) || !isString(jti) || !isString(sid)) return undefined;
  if (iss !== runtime.issuer() || runtime.now() >= exp * 1000) return undefined;
  let confirmation: { kid: string } | undefined;
  if (cnf !== undefined) {
    const kid = (cnf as { kid?: unknown } | null)?.kid;
    if (!isString(kid)) return undefined;
    confirmation = { kid };
  }
  return { iss, sub, scope, client_id, iat, exp, jti, sid, ...(confirmation ? { cnf: confirmation } : {}) };
}
