import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol";

/** The error parameters of an authorization answer (RFC 6749 §4.1.2.1). */
export interface AuthorizationErrorParameters {
  /** The error code, e.g. `access_denied`, `login_required`, `invalid_request`. */
  error: string;
  /** The server's human-readable explanation, when it sent one. */
  error_description?: string | undefined;
  /** A URI of a page about the error, when the server sent one. */
  error_uri?: string | undefined;
}

/**
 * The authorization server answered the authorization request with an error instead of a code
 * (RFC 6749 §4.1.2.1): the redirect back carried `?error=…` (`fetchToken`), or the web message of a
 * silent renewal did (`refresh()` in a browser). Code `AUTHORIZATION_ERROR`, no `status` (it is not an
 * HTTP answer). `error` is e.g. `access_denied` when the user refused, `login_required` /
 * `interaction_required` when a silent renewal found no login session (OpenID Connect Core §3.1.2.6):
 * send the user to the login page then.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.fetchToken(location.href);
 * } catch (error) {
 *   if (isAuthorizationError(error) && error.error === "access_denied") showConsentRefused();
 * }
 */
export class AuthorizationError extends KontistAuthError {
  /** The RFC 6749 §4.1.2.1 error code. */
  readonly error: string;
  /** The server's human-readable explanation, when it sent one. */
  readonly error_description: string | undefined;
  /** A URI of a page about the error, when the server sent one. */
  readonly error_uri: string | undefined;

  /**
   * @param parameters - the error parameters of the answer.
   * @param source - where the answer came from, e.g. `the authorization callback`, for the message.
   */
  constructor(parameters: AuthorizationErrorParameters, source: string) {
    const description = parameters.error_description ? `: ${parameters.error_description}` : "";
    super("AUTHORIZATION_ERROR", `${source} carries the error ${parameters.error}${description}`);
    this.error = parameters.error;
    this.error_description = parameters.error_description;
    this.error_uri = parameters.error_uri;
  }
}

/**
 * Tells whether `value` is an {@link AuthorizationError} from any copy of the SDK (checks `code`).
 *
 * @example
 * if (isAuthorizationError(error) && error.error === "login_required") location.assign(await getAuthUri());
 */
export function isAuthorizationError(value: unknown): value is AuthorizationError {
  return isKontistAuthError(value, "AUTHORIZATION_ERROR");
}
