import type { AuthorizationCodeTokenRequest } from "@kontist-auth/protocol";
import type { Token } from "../token/Token";
import { requestToken, type TokenEndpointConfig } from "./requestToken";

/** The code to redeem, for {@link authorizationCodeGrant}. */
export interface AuthorizationCodeGrantParameters {
  /** The code of the authorization response. */
  code: string;
  /** The redirect URI the authorization request named (RFC 6749 §4.1.3). */
  redirectUri: string;
  /** The PKCE code verifier (RFC 7636 §4.5), when the authorization request sent its challenge. */
  verifier?: string | undefined;
  /** The scopes the authorization request asked for. */
  scopes: readonly string[];
}

/**
 * The authorization code grant (RFC 6749 §4.1.3): `grant_type=authorization_code` with the code and
 * redirect URI, and the `code_verifier` of a PKCE client (RFC 7636 §4.5).
 *
 * @throws the errors of {@link requestToken}, e.g. {@link OAuth2Error} `invalid_grant` for a used or
 *   expired code or a wrong verifier.
 * @example
 * import type { TokenEndpointConfig } from "./requestToken";
 * declare const config: TokenEndpointConfig;
 * const redirectUri = "https://app.example/callback";
 * const token = await authorizationCodeGrant(config, { code: "c-1", redirectUri, scopes: ["users"] });
 */
export function authorizationCodeGrant(
  config: TokenEndpointConfig,
  parameters: AuthorizationCodeGrantParameters,
  signal?: AbortSignal,
): Promise<Token> {
  const { code, redirectUri, verifier, scopes } = parameters;
  const request: AuthorizationCodeTokenRequest = {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
  };
  if (verifier !== undefined) request.code_verifier = verifier;
  return requestToken(config, request, { secrets: [code, verifier], requestedScopes: scopes, signal });
}
