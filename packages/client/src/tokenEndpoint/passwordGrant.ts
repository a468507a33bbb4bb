import { formatScope, type PasswordTokenRequest } from "@kontist-auth/protocol";
import type { Token } from "../token/Token";
import { requestToken, type TokenEndpointConfig } from "./requestToken";

/** The user's credentials and the scopes to ask for, for {@link passwordGrant}. */
export interface PasswordGrantParameters {
  username: string;
  password: string;
  /** Sent as `scope` unless empty. */
  scopes: readonly string[];
}

/**
 * The resource owner password credentials grant (RFC 6749 §4.3): `grant_type=password` with the user's
 * credentials, and `scope` when there are scopes to ask for.
 *
 * @returns the new token; its `scopes` are the granted ones (the requested ones when the server does
 *   not say, RFC 6749 §5.1).
 * @throws the errors of {@link requestToken}, e.g. {@link OAuth2Error} `invalid_grant` for wrong credentials.
 * @example
 * import type { TokenEndpointConfig } from "./requestToken";
 * declare const config: TokenEndpointConfig;
 * const token = await passwordGrant(config, {
 *   username: "demo@example.com",
 *   password: "demo-password",
 *   scopes: ["users", "offline"],
 * });
 */
export function passwordGrant(
  config: TokenEndpointConfig,
  parameters: PasswordGrantParameters,
): Promise<Token> {
  const { username, password, scopes } = parameters;
  const request: PasswordTokenRequest = { grant_type: "password", username, password };
  if (scopes.length > 0) request.scope = formatScope(scopes);
  return requestToken(config, request, { secrets: [password], requestedScopes: scopes });
}
