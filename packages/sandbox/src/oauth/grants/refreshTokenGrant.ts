import { formatScope, type RefreshTokenRequest, type TokenResponse } from "@kontist-auth/protocol";
import { isConfirmationLive } from "../../devices/isConfirmationLive";
import { issueAccessToken } from "../../jwt/issueAccessToken";
import { hashToken } from "../../security/hashToken";
import type { SandboxRuntime } from "../../server/SandboxRuntime";
import type { ClientRecord } from "../../state/SandboxStore";
import { issueRefreshToken } from "../issueRefreshToken";
import { OAuth2Error } from "../OAuth2Error";
import { resolveScopes } from "../resolveScopes";
import { revokeRefreshTokenFamily } from "../revokeRefreshTokenFamily";

const refused = () => new OAuth2Error("invalid_grant", "The refresh token is invalid, expired or revoked.");

/**
 * The refresh token grant (RFC 6749 §6). The new access token keeps the refresh token's user, client,
 * sign-in session (`sid`) and confirming device (a confirmed refresh token yields a confirmed access token,
 * as long as that device is still bound); `scope` may narrow it.
 * Without rotation the same refresh token is answered (or, with `omitRefreshTokenOnRefresh`, none, as in
 * Kontist's docs: the client keeps the one it has) and stays usable until it expires; with
 * `rotateRefreshTokens` a new one is issued and reusing a spent one revokes its whole family (RFC 9700
 * §4.14.2).
 *
 * @throws {OAuth2Error} `invalid_grant` for an unknown, expired, revoked or reused refresh token, one
 *   issued to another client, or a confirmed one whose device is no longer bound; `invalid_scope` for a
 *   scope beyond the refresh token's.
 */
export function refreshTokenGrant(
  runtime: SandboxRuntime,
  client: ClientRecord,
  request: RefreshTokenRequest,
): Promise<TokenResponse> {
  const { store, config } = runtime;
  const hash = hashToken(request.refresh_token);
  const record = store.refreshTokens.get(hash);
  if (record === undefined || record.clientId !== client.id) throw refused();
  if (record.revoked) {
    revokeRefreshTokenFamily(store, record.familyId);
    throw refused();
  }
  // A confirmed refresh token lives only as long as its device stays bound (deleting the device also
  // deletes its refresh tokens; this catches one minted since from older state).
  const confirmationDead =
    record.deviceId !== undefined && !isConfirmationLive(store, record.userId, record.deviceId);
  if (runtime.now() >= record.expiresAt || !store.users.has(record.userId) || confirmationDead) {
    store.refreshTokens.delete(hash);
    throw refused();
  }
  const scopes = resolveScopes(request.scope, record.scopes);
  const grant = {
    userId: record.userId,
    clientId: record.clientId,
    scopes,
    sessionId: record.sessionId,
    deviceId: record.deviceId,
  };
  const signing = issueAccessToken(runtime, grant);
  let refreshToken = request.refresh_token;
  if (config.rotateRefreshTokens) {
    record.revoked = true;
    // RFC 6749 §6: the new refresh token's scope is the old one's, whatever this request narrowed.
    refreshToken = issueRefreshToken(runtime, { ...grant, scopes: record.scopes }, record.familyId);
  }
  return signing.then(({ accessToken, expiresIn }) => ({
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: expiresIn,
    ...(config.omitRefreshTokenOnRefresh ? {} : { refresh_token: refreshToken }),
    scope: formatScope(scopes),
  }));
}
