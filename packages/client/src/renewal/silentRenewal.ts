import { authorizeInIframe } from "../oauth/authorizeInIframe";
import { buildAuthorizationUrl } from "../oauth/buildAuthorizationUrl";
import { createCodeChallenge } from "../oauth/createCodeChallenge";
import { createPkceVerifier } from "../oauth/createPkceVerifier";
import { createState } from "../oauth/createState";
import type { Token } from "../token/Token";
import { authorizationCodeGrant } from "../tokenEndpoint/authorizationCodeGrant";
import { requireClientId } from "../tokenEndpoint/clientAuthentication";
import type { SilentRenewalConfig } from "./canRenewSilently";

/**
 * Silent renewal: `/api/oauth/authorize?…&prompt=none&response_mode=web_message` in a hidden iframe
 * (see `authorizeInIframe`), then the code exchange. A fresh verifier and state for each attempt, so no
 * answer can be replayed.
 *
 * @throws {TypeError} when the client has no `redirectUri` or `clientId`.
 * @throws {AuthorizationError} when the answer is an error, e.g. `login_required`.
 * @throws {StateMismatchError} when the answer carries another state.
 * @throws {TimeoutError} when no answer arrives within `silentRenewalTimeout`.
 * @throws the errors of {@link authorizationCodeGrant}.
 * @example
 * import type { SilentRenewalConfig } from "./canRenewSilently";
 * declare const config: SilentRenewalConfig;
 * const token = await renewSilently(config, AbortSignal.timeout(30_000));
 */
export async function renewSilently(config: SilentRenewalConfig, signal?: AbortSignal): Promise<Token> {
  const { redirectUri } = config;
  if (redirectUri === undefined) {
    throw new TypeError("refresh: the authorization code flow needs the client's redirectUri option.");
  }
  const verifier = createPkceVerifier();
  const state = createState();
  const url = buildAuthorizationUrl({
    baseUrl: config.baseUrl,
    clientId: requireClientId(config.clientId, "refresh"),
    redirectUri,
    scopes: config.scopes,
    state,
    codeChallenge: await createCodeChallenge(verifier),
    prompt: "none",
    responseMode: "web_message",
  });
  const code = await authorizeInIframe({ url, state, timeout: config.silentRenewalTimeout });
  return authorizationCodeGrant(config, { code, redirectUri, verifier, scopes: config.scopes }, signal);
}
