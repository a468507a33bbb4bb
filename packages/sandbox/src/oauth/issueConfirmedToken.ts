import type { ConfirmedTokenResponse } from "@kontist-auth/protocol";
import { issueAccessToken } from "../jwt/issueAccessToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { issueRefreshToken, mayIssueRefreshToken } from "./issueRefreshToken";

/**
 * The answer of a passed MFA (a verified device challenge, or a verified push challenge): `{ token,
 * refresh_token? }`, an access token with `cnf: { kid: deviceId }` and, when the scopes include `offline`
 * and the client uses refresh tokens, a confirmed refresh token (its access tokens carry the same `cnf`).
 * Both stay in the sign-in session `grant.sessionId` (`sid`): passing MFA confirms a sign-in, it does not
 * start another.
 *
 * @example
 * import { parseScope } from "@kontist-auth/protocol";
 * import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // The bearer's device challenge was verified: the answer of POST …/challenges/{id}/verify.
 * function passMfa(runtime: SandboxRuntime, bearer: AccessTokenClaims, deviceId: string) {
 *   return issueConfirmedToken(runtime, {
 *     userId: bearer.sub,
 *     clientId: bearer.client_id,
 *     scopes: parseScope(bearer.scope),
 *     sessionId: bearer.sid, // the same sign-in session
 *     deviceId,
 *   }); // { token, refresh_token? }
 * }
 */
export function issueConfirmedToken(
  runtime: SandboxRuntime,
  grant: {
    userId: string;
    clientId: string;
    scopes: readonly string[];
    sessionId: string;
    deviceId: string;
  },
): Promise<ConfirmedTokenResponse> {
  const client = runtime.store.clients.get(grant.clientId);
  const signing = issueAccessToken(runtime, grant);
  const refreshToken =
    client !== undefined && mayIssueRefreshToken(client, grant.scopes)
      ? issueRefreshToken(runtime, grant)
      : undefined;
  return signing.then(({ accessToken }) => ({
    token: accessToken,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
  }));
}
