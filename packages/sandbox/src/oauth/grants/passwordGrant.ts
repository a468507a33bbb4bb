import { randomUUID } from "node:crypto";
import { formatScope, type PasswordTokenRequest, type TokenResponse } from "@kontist-auth/protocol";
import { issueAccessToken } from "../../jwt/issueAccessToken";
import { constantTimeEqual } from "../../security/constantTimeEqual";
import type { SandboxRuntime } from "../../server/SandboxRuntime";
import type { ClientRecord } from "../../state/SandboxStore";
import { issueRefreshToken, mayIssueRefreshToken } from "../issueRefreshToken";
import { OAuth2Error } from "../OAuth2Error";
import { resolveScopes } from "../resolveScopes";

/**
 * The resource owner password credentials grant (RFC 6749 §4.3): a token for the user whose e-mail and
 * password match, in a new sign-in session (`sid`), with a refresh token when the scopes include `offline`.
 *
 * @returns a promise of the token response: everything but the access token's signature is settled (and
 *   stored) before it returns.
 * @throws {OAuth2Error} `invalid_grant` for a wrong username or password; `invalid_scope`.
 */
export function passwordGrant(
  runtime: SandboxRuntime,
  client: ClientRecord,
  request: PasswordTokenRequest,
): Promise<TokenResponse> {
  const scopes = resolveScopes(request.scope, client.scopes);
  const user = runtime.store.findUserByEmail(request.username);
  // Compare even for an unknown user, so timing does not tell which e-mails exist.
  const passwordMatches = constantTimeEqual(request.password, user?.password ?? "\u0000");
  if (user === undefined || !passwordMatches) {
    throw new OAuth2Error("invalid_grant", "The username or password is wrong.");
  }
  // Each password login is a sign-in session of its own (the tokens' `sid`).
  const grant = { userId: user.id, clientId: client.id, scopes, sessionId: randomUUID() };
  const signing = issueAccessToken(runtime, grant);
  const refreshToken = mayIssueRefreshToken(client, scopes) ? issueRefreshToken(runtime, grant) : undefined;
  return signing.then(({ accessToken, expiresIn }) => ({
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: expiresIn,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    scope: formatScope(scopes),
  }));
}
