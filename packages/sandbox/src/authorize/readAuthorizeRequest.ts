import {
  type AuthorizeQuery,
  authorizeParameterNames,
  authorizeQuerySchema,
  describeSchemaProblems,
  formatSchemaProblems,
} from "@kontist-auth/protocol";
import { ApiError } from "../http/ApiError";
import { OAuth2Error } from "../oauth/OAuth2Error";
import { isCustomSchemeRedirectUri, redirectUriMatches } from "../oauth/redirectUri";
import { resolveScopes } from "../oauth/resolveScopes";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { ClientRecord } from "../state/SandboxStore";

/** Where and how an authorization answer goes: known once the client and its redirect URI check out. */
export interface AuthorizeTarget {
  client: ClientRecord;
  redirectUri: string;
  /** `web_message` posts the answer to the opener/parent window; `query` redirects. */
  responseMode: "query" | "web_message";
  state: string | undefined;
}

/** An authorization request that passed every check. */
export interface AuthorizeRequest extends AuthorizeTarget {
  scopes: string[];
  /** The S256 PKCE challenge (RFC 7636 §4.3), if any. */
  codeChallenge: string | undefined;
  prompt: AuthorizeQuery["prompt"];
  /** `skip_mfa=true`: the login answers a code without MFA (an unconfirmed token). */
  skipMfa: boolean;
  /** The request's own parameters, carried through the login form. */
  parameters: Record<string, string>;
}

/** The result of {@link readAuthorizeRequest}: a request to serve, or an error to send to the client. */
export type AuthorizeReading =
  | { ok: true; request: AuthorizeRequest }
  | { ok: false; target: AuthorizeTarget; error: string; description: string };

/**
 * Checks an authorization request (RFC 6749 §4.1.1 and §4.1.2.1). First the client and its redirect URI:
 * when either is missing, repeated, unknown or not registered the user must not be redirected, so that is
 * thrown. Then everything else, whose failure is answered to the client: `unsupported_response_type`;
 * `invalid_request` for a parameter missing, repeated or malformed, a `code_challenge_method` other than
 * `S256`, or a public client without PKCE; `invalid_scope`.
 *
 * @param entries - the query (GET) or form (POST) parameters, in order; others than the authorization
 *   request's are ignored.
 * @throws {ApiError} 400 for a bad `client_id` or `redirect_uri` (missing, repeated, not an absolute URI,
 *   not registered), or `response_mode=web_message` with a redirect URI that has no web origin or is not
 *   registered exactly (only matched by a `*` port pattern).
 */
export function readAuthorizeRequest(
  runtime: SandboxRuntime,
  entries: Iterable<[string, string]>,
): AuthorizeReading {
  const parameters: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [name, value] of entries) {
    if (!(authorizeParameterNames as readonly string[]).includes(name)) continue;
    if (Object.hasOwn(parameters, name)) repeated.add(name);
    else parameters[name] = value;
  }

  const clientId = parameters.client_id;
  if (clientId === undefined || clientId === "" || repeated.has("client_id")) {
    throw new ApiError(400, "Parameter `client_id` is missing or repeated.");
  }
  const client = runtime.store.clients.get(clientId);
  if (client === undefined || !client.grants.includes("authorization_code")) {
    throw new ApiError(400, "Unknown client, or a client that may not use the authorization code grant.");
  }
  const redirectUri = parameters.redirect_uri;
  if (redirectUri === undefined || redirectUri === "" || repeated.has("redirect_uri")) {
    throw new ApiError(400, "Parameter `redirect_uri` is missing or repeated.");
  }
  // Checked as the request is read, so no later step (the redirect, the web message) meets a URI that
  // does not parse, such as a registered pattern sent as is (`http://localhost:*`).
  if (!URL.canParse(redirectUri)) {
    throw new ApiError(400, "The redirect_uri is not an absolute URI.");
  }
  if (!client.redirectUris.some((registered) => redirectUriMatches(registered, redirectUri))) {
    throw new ApiError(400, "The redirect_uri is not registered for this client.");
  }
  const responseMode = parameters.response_mode === "web_message" ? "web_message" : "query";
  if (responseMode === "web_message" && isCustomSchemeRedirectUri(redirectUri)) {
    throw new ApiError(
      400,
      "response_mode=web_message needs an http(s) redirect_uri (its origin receives the answer).",
    );
  }
  // A web message hands the code to a script of the redirect URI's origin, with no redirect a browser
  // shows: only an exactly registered URI may receive one, never any port a pattern allows (any local
  // page could frame prompt=none and take the code).
  if (responseMode === "web_message" && !client.redirectUris.includes(redirectUri)) {
    throw new ApiError(
      400,
      "response_mode=web_message needs a redirect_uri registered exactly for this client, not one matched by a `*` port pattern.",
    );
  }
  const target: AuthorizeTarget = {
    client,
    redirectUri,
    responseMode,
    state: repeated.has("state") ? undefined : parameters.state,
  };
  const refuse = (error: string, description: string): AuthorizeReading => ({
    ok: false,
    target,
    error,
    description,
  });

  if (repeated.size > 0) {
    return refuse("invalid_request", `Parameter \`${[...repeated][0]}\` is repeated.`);
  }
  if (parameters.response_type !== undefined && parameters.response_type !== "code") {
    return refuse("unsupported_response_type", "Only response_type=code is supported.");
  }
  const parsed = authorizeQuerySchema.safeParse(parameters);
  if (!parsed.success) {
    return refuse(
      "invalid_request",
      `Invalid request: ${formatSchemaProblems(describeSchemaProblems(parsed.error, parameters))}.`,
    );
  }
  const query = parsed.data;
  if (parameters.code_challenge_method !== undefined && query.code_challenge === undefined) {
    return refuse("invalid_request", "Parameter `code_challenge_method` was sent without `code_challenge`.");
  }
  if (query.code_challenge !== undefined && query.code_challenge_method !== "S256") {
    // RFC 7636 §4.3: a missing method means `plain`, which the sandbox refuses, as Kontist does.
    return refuse("invalid_request", "Parameter `code_challenge_method` must be S256.");
  }
  if (client.secret === undefined && query.code_challenge === undefined) {
    return refuse(
      "invalid_request",
      "This public client must use PKCE: send code_challenge and code_challenge_method=S256.",
    );
  }
  let scopes: string[];
  try {
    scopes = resolveScopes(query.scope, client.scopes);
  } catch (error) {
    if (error instanceof OAuth2Error) return refuse(error.error, error.message);
    throw error;
  }
  return {
    ok: true,
    request: {
      ...target,
      scopes,
      codeChallenge: query.code_challenge,
      prompt: query.prompt,
      // Kontist: only `true` skips; any other value, or none, keeps MFA in the login.
      skipMfa: query.skip_mfa === "true",
      parameters,
    },
  };
}
