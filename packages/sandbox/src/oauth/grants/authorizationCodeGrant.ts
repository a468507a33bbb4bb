import { type AuthorizationCodeTokenRequest, formatScope, type TokenResponse } from "@kontist-auth/protocol";
import { isConfirmationLive } from "../../devices/isConfirmationLive";
import { issueAccessToken } from "../../jwt/issueAccessToken";
import { constantTimeEqual } from "../../security/constantTimeEqual";
import { hashToken } from "../../security/hashToken";
import type { SandboxRuntime } from "../../server/SandboxRuntime";
import type { ClientRecord } from "../../state/SandboxStore";
import { issueRefreshToken } from "../issueRefreshToken";
import { OAuth2Error } from "../OAuth2Error";
import { pkceChallenge } from "../pkceChallenge";
import { revokeRefreshTokenFamily } from "../revokeRefreshTokenFamily";
import { refreshTokenAllowed } from "./refreshTokenAllowed";

const refused = () =>
  new OAuth2Error("invalid_grant", "The authorization code is invalid, expired or already used.");

/**
 * The authorization code grant (RFC 6749 §4.1.3, PKCE per RFC 7636 §4.6). A code is single-use: the
 * first token request that presents it spends it, whatever the outcome, and a second one is refused and
 * revokes the refresh tokens issued from it (RFC 6749 §4.1.2). The code must belong to the authenticated
 * client, be unexpired, come with the same `redirect_uri` as the authorization request and, when that
 * request had a `code_challenge`, with a `code_verifier` whose S256 hash matches it. A refresh token comes
 * with the `offline` scope, to a PKCE (public) client only when its redirect URI has a custom scheme;
 * otherwise `offline` is left out of the granted scope. A code from a login that passed MFA yields a
 * confirmed access token (`cnf: { kid }`) and, with it, a confirmed refresh token — unless the device that
 * approved that login has been deleted since. The tokens carry the login session's `sid`.
 *
 * @throws {OAuth2Error} `invalid_grant` for an unknown, expired, replayed or foreign code, a code whose
 *   approving device is no longer bound, another `redirect_uri`, or a `code_verifier` that does not match
 *   (or was sent without a challenge); `invalid_request` when the challenge's `code_verifier` is missing.
 */
export function authorizationCodeGrant(
  runtime: SandboxRuntime,
  client: ClientRecord,
  request: AuthorizationCodeTokenRequest,
): Promise<TokenResponse> {
  const { store } = runtime;
  const hash = hashToken(request.code);
  const code = store.authorizationCodes.get(hash);
  if (code === undefined) throw refused();
  if (code.used) {
    revokeRefreshTokenFamily(store, code.familyId);
    throw refused();
  }
  code.used = true;
  if (code.clientId !== client.id || runtime.now() >= code.expiresAt || !store.users.has(code.userId)) {
    throw refused();
  }
  // A code from a login confirmed by a device that has been deleted since confirms nothing.
  if (code.deviceId !== undefined && !isConfirmationLive(store, code.userId, code.deviceId)) throw refused();
  if (request.redirect_uri !== code.redirectUri) {
    throw new OAuth2Error(
      "invalid_grant",
      "The redirect_uri differs from the one of the authorization request.",
    );
  }
  if (code.codeChallenge === undefined) {
    if (request.code_verifier !== undefined) {
      throw new OAuth2Error(
        "invalid_grant",
        "A code_verifier was sent, but the authorization request had no code_challenge.",
      );
    }
  } else {
    if (request.code_verifier === undefined) {
      throw new OAuth2Error("invalid_request", "Parameter `code_verifier` is missing (PKCE).");
    }
    if (!constantTimeEqual(pkceChallenge(request.code_verifier), code.codeChallenge)) {
      throw new OAuth2Error("invalid_grant", "The code_verifier does not match the code_challenge.");
    }
  }
  const withRefreshToken = refreshTokenAllowed(client, code.scopes, code.redirectUri);
  const scopes = withRefreshToken ? code.scopes : code.scopes.filter((scope) => scope !== "offline");
  // A code from a login that passed MFA yields confirmed tokens (`cnf`), the refresh token too.
  const grant = {
    userId: code.userId,
    clientId: client.id,
    scopes,
    sessionId: code.sessionId,
    deviceId: code.deviceId,
  };
  const signing = issueAccessToken(runtime, grant);
  const refreshToken = withRefreshToken ? issueRefreshToken(runtime, grant, code.familyId) : undefined;
  return signing.then(({ accessToken, expiresIn }) => ({
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: expiresIn,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    scope: formatScope(scopes),
  }));
}
