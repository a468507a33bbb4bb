import { type AuthorizeQuery, authorizeParameterNames, formatScope, paths } from "@kontist-auth/protocol";

/** What {@link buildAuthorizationUrl} puts into the query. */
export interface AuthorizationUrlParameters {
  /** The API's base URL, without a trailing slash; a path prefix is kept. */
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state?: string | undefined;
  /** The S256 challenge of the PKCE verifier (RFC 7636 §4.3), for public clients. */
  codeChallenge?: string | undefined;
  prompt?: AuthorizeQuery["prompt"];
  responseMode?: AuthorizeQuery["response_mode"];
  /** Send `skip_mfa=true`: the login leaves MFA out. Default: leave it out (the login includes MFA). */
  skipMfa?: boolean | undefined;
  /** More query parameters, e.g. `login_hint`; they cannot replace the ones above. */
  extra?: Readonly<Record<string, string>> | undefined;
}

/**
 * The parameters the client sets itself (every one `authorizeQuerySchema` knows, `skip_mfa` included: it
 * has its own option); `extra` must not override them.
 */
const ownParameters = new Set<string>(authorizeParameterNames);

/**
 * The URL of an authorization request (RFC 6749 §4.1.1): `GET {baseUrl}/api/oauth/authorize` with
 * `response_type=code`, `client_id`, `redirect_uri`, `scope` (space-separated, left out when empty),
 * `state`, and for PKCE `code_challenge` with `code_challenge_method=S256` (RFC 7636 §4.3); `prompt`,
 * `response_mode` and Kontist's `skip_mfa=true` when asked for.
 *
 * @throws {TypeError} when `extra` holds a parameter the client sets itself, or a value that is not a string.
 * @example
 * import { createCodeChallenge } from "./createCodeChallenge";
 * import { createPkceVerifier } from "./createPkceVerifier";
 * import { createState } from "./createState";
 *
 * buildAuthorizationUrl({
 *   baseUrl: clientDefaults.baseUrl,
 *   clientId: "my-public-client",
 *   redirectUri: "https://app.example.com/callback",
 *   scopes: ["users"],
 *   state: createState(),
 *   codeChallenge: await createCodeChallenge(createPkceVerifier()),
 * });
 * // "https://api.kontist.com/api/oauth/authorize?response_type=code&client_id=…"
 */
export function buildAuthorizationUrl(parameters: AuthorizationUrlParameters): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: parameters.clientId,
    redirect_uri: parameters.redirectUri,
  });
  if (parameters.scopes.length > 0) query.set("scope", formatScope(parameters.scopes));
  if (parameters.state !== undefined) query.set("state", parameters.state);
  if (parameters.codeChallenge !== undefined) {
    query.set("code_challenge", parameters.codeChallenge);
    query.set("code_challenge_method", "S256");
  }
  if (parameters.prompt !== undefined) query.set("prompt", parameters.prompt);
  if (parameters.responseMode !== undefined) query.set("response_mode", parameters.responseMode);
  if (parameters.skipMfa === true) query.set("skip_mfa", "true");
  for (const [name, value] of Object.entries(parameters.extra ?? {})) {
    if (ownParameters.has(name)) {
      const instead = name === "skip_mfa" ? " (use the skipMfa option)" : "";
      throw new TypeError(
        `getAuthUri: the query parameter ${name} is set by the client; leave it out of query${instead}.`,
      );
    }
    if (typeof value !== "string")
      throw new TypeError(`getAuthUri: the query parameter ${name} must be a string.`);
    query.set(name, value);
  }
  return `${parameters.baseUrl}${paths.authorize}?${query.toString()}`;
}
