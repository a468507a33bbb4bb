import type { ConfirmedTokenResponse } from "@kontist-auth/protocol";
import { issueAccessToken } from "../jwt/issueAccessToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { issueRefreshToken, mayIssueRefreshToken } from "./issueRefreshToken";

/**
 * The answer of a passed MFA (a verified device challenge, or a verified push challenge): `{ token,
 * refresh_token? }`, an access token with `cnf: { kid: deviceId }` and, when the scopes include `offline`
 * and the client uses refresh tokens, a confirmed refresh token (its access tokens carry the same `cnf`).
 */
export function issueConfirmedToken(
  runtime: SandboxRuntime,
  grant: { userId: string; clientId: string; scopes: readonly string[]; deviceId: string },
): ConfirmedTokenResponse {
  const client = runtime.store.clients.get(grant.clientId);
  return {
    token: issueAccessToken(runtime, grant).accessToken,
    ...(client !== undefined && mayIssueRefreshToken(client, grant.scopes)
      ? { refresh_token: issueRefreshToken(runtime, grant) }
      : {}),
  };
}
