import type { RefreshTokenRequest } from "@kontist-auth/protocol";
import type { Token } from "../token/Token";
import { requestToken, type TokenEndpointConfig } from "./requestToken";

/**
 * The refresh token grant (RFC 6749 §6): `grant_type=refresh_token` with `refreshToken`, the refresh
 * token of `token`. When the answer has no `refresh_token`, the new token keeps the one used (Kontist's
 * refresh tokens can be used many times); with no `scope`, it keeps the scopes of `token`.
 *
 * @throws the errors of {@link requestToken}, e.g. {@link OAuth2Error} `invalid_grant` for an expired
 *   refresh token.
 * @example
 * import type { TokenEndpointConfig } from "./requestToken";
 * declare const config: TokenEndpointConfig;
 * const current = new Token({ accessToken: "at-1", refreshToken: "rt-1" });
 * const renewed = await refreshTokenGrant(config, current, "rt-1");
 */
export function refreshTokenGrant(
  config: TokenEndpointConfig,
  token: Token,
  refreshToken: string,
  signal?: AbortSignal,
): Promise<Token> {
  const request: RefreshTokenRequest = { grant_type: "refresh_token", refresh_token: refreshToken };
  return requestToken(config, request, {
    secrets: [refreshToken, token.accessToken],
    requestedScopes: token.scopes,
    previousRefreshToken: refreshToken,
    signal,
  });
}
