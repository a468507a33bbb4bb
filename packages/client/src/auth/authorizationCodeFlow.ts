import { buildAuthorizationUrl } from "../oauth/buildAuthorizationUrl";
import { createCodeChallenge } from "../oauth/createCodeChallenge";
import { parseCallbackUri } from "../oauth/parseCallbackUri";
import { readAuthorizationResponse } from "../oauth/readAuthorizationResponse";
import type { Token } from "../token/Token";
import { authorizationCodeGrant } from "../tokenEndpoint/authorizationCodeGrant";
import { requireClientId } from "../tokenEndpoint/clientAuthentication";
import type { TokenEndpointConfig } from "../tokenEndpoint/requestToken";

/** Options of `client.auth.tokenManager.getAuthUri` ({@link TokenManager.getAuthUri}). */
export interface GetAuthUriOptions {
  /**
   * Send `skip_mfa=true`: the login page asks for the password only. Default `false` (not sent), and then,
   * as Kontist's default, the login itself includes MFA and the code yields a confirmed token. With
   * `skipMfa` the token is not confirmed: pass MFA later, by device (`auth.device.confirm`) or push
   * (`auth.push.getConfirmedToken`), before calling what needs a confirmed token.
   */
  skipMfa?: boolean | undefined;
  /**
   * More query parameters for the authorization request, e.g. `{ prompt: "login" }` or a `login_hint`.
   * They cannot replace what the client sets itself (`response_type`, `client_id`, `redirect_uri`,
   * `scope`, `state`, `code_challenge`, `code_challenge_method`, `prompt`, `response_mode`, `skip_mfa`).
   */
  query?: Readonly<Record<string, string>> | undefined;
}

/** What the authorization code flow needs of the client. */
export interface AuthorizationCodeFlowConfig extends TokenEndpointConfig {
  /** The API's base URL without a trailing slash. */
  baseUrl: string;
  /** The scopes to ask for. */
  scopes: readonly string[];
  /** The redirect URI; the flow throws without one. */
  redirectUri?: string | undefined;
  /** The `state` the callback must carry back. */
  state?: string | undefined;
  /** Whether the flow may run without `state` (the named opt-out); default `false`. */
  skipStateCheck?: boolean | undefined;
  /** The PKCE verifier of a PKCE client. */
  verifier?: string | undefined;
}

/**
 * The authorization request's URL (RFC 6749 §4.1.1), with the S256 challenge of a PKCE client
 * (RFC 7636 §4.2, §4.3) and `skip_mfa=true` with `skipMfa`.
 *
 * @throws {TypeError} as `tokenManager.getAuthUri` documents.
 * @example
 * declare const config: AuthorizationCodeFlowConfig;
 * location.assign(await authorizationUri(config, { skipMfa: true }));
 */
export async function authorizationUri(
  config: AuthorizationCodeFlowConfig,
  options: GetAuthUriOptions,
): Promise<string> {
  const redirectUri = requireRedirectUri(config, "getAuthUri");
  const state = requireState(config, "getAuthUri");
  const { skipMfa } = options;
  if (skipMfa !== undefined && typeof skipMfa !== "boolean") {
    throw new TypeError("getAuthUri: skipMfa must be a boolean.");
  }
  const { verifier } = config;
  return buildAuthorizationUrl({
    baseUrl: config.baseUrl,
    clientId: requireClientId(config.clientId, "getAuthUri"),
    redirectUri,
    scopes: config.scopes,
    state,
    codeChallenge: verifier === undefined ? undefined : await createCodeChallenge(verifier),
    skipMfa,
    extra: options.query,
  });
}

/**
 * Reads the redirect back (RFC 6749 §4.1.2), checks its `state` (§10.12), and redeems its code with the
 * authorization code grant.
 *
 * @throws what `tokenManager.fetchToken` documents, but for the store's errors.
 * @example
 * declare const config: AuthorizationCodeFlowConfig;
 * const token = await redeemAuthorizationCallback(config, location.href);
 */
export async function redeemAuthorizationCallback(
  config: AuthorizationCodeFlowConfig,
  callbackUri: string | URL,
): Promise<Token> {
  const redirectUri = requireRedirectUri(config, "fetchToken");
  const state = requireState(config, "fetchToken");
  const code = readAuthorizationResponse(parseCallbackUri(callbackUri), state, "the authorization callback");
  const { verifier, scopes } = config;
  return authorizationCodeGrant(config, { code, redirectUri, verifier, scopes });
}

function requireRedirectUri(config: AuthorizationCodeFlowConfig, method: string): string {
  const { redirectUri } = config;
  if (redirectUri === undefined) {
    throw new TypeError(`${method}: the authorization code flow needs the client's redirectUri option.`);
  }
  return redirectUri;
}

/**
 * The `state` of the code flow (RFC 6749 §10.12): the client's, or none with `skipStateCheck`. Without
 * one, anyone could send the user to the redirect URI with their own code and log them into their
 * account (login CSRF).
 */
function requireState(config: AuthorizationCodeFlowConfig, method: string): string | undefined {
  const { state, skipStateCheck } = config;
  if (state === undefined && skipStateCheck !== true) {
    throw new TypeError(
      `${method}: the authorization code flow needs the client's state option (createState()), which ` +
        "ties the callback to this login; pass skipStateCheck: true only if you bind it another way.",
    );
  }
  return state;
}
