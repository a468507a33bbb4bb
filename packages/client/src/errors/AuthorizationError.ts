import { KontistAuthError } from "@kontist-auth/protocol";

/** The error parameters of an authorization answer (RFC 6749 §4.1.2.1), read into one shape. */
export interface AuthorizationErrorParameters {
  /** The RFC 6749 error code, e.g. `access_denied`, `login_required`, `invalid_request`. */
  error: string;
  /** Kontist's error type when the answer carried one, e.g. `AccessDeniedError`; absent for RFC codes. */
  type?: string | undefined;
  /** The server's human-readable explanation, when it sent one. */
  error_description?: string | undefined;
  /** A URI of a page about the error, when the server sent one. */
  error_uri?: string | undefined;
}

/** How much of each text the answer carried the message repeats: the answer is not trusted. */
const maxQuotedLength = 100;

/** `text` for a message: control characters (a forged line break in a log) replaced, length bounded. */
function quoted(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced.
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
  return clean.length > maxQuotedLength ? `${clean.slice(0, maxQuotedLength)}…` : clean;
}

/**
 * The authorization server answered the authorization request with an error instead of a code
 * (RFC 6749 §4.1.2.1): the redirect back carried `?error=…` (`fetchToken`), or the web message of a
 * silent renewal carried an error (`refresh()` in a browser). Code `AUTHORIZATION_ERROR`, no `status`
 * (it is not an HTTP answer).
 *
 * The error comes in two forms, and both are read:
 * - Kontist's: `error` is a JSON object with a `type`, e.g. `?error=%7B%22type%22%3A%22AccessDeniedError%22%7D`
 *   when the user denies access (a web message may carry the object itself, `{ error: { type } }`). Then
 *   `type` is Kontist's type (`AccessDeniedError`) and `error` its RFC 6749 code (`access_denied`), or the
 *   type itself for a type that has no RFC counterpart.
 * - RFC 6749's: `error` is a code such as `access_denied`, `login_required` or `interaction_required`
 *   (OpenID Connect Core §3.1.2.6; a silent renewal found no login session). Then `type` is `undefined`.
 *
 * `error` is `access_denied` when the user refused; after a failed silent renewal, whatever the error,
 * send the user to the login page. The message repeats at most 100 characters of each text the answer
 * carried, without control characters.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.fetchToken(location.href);
 * } catch (error) {
 *   if (isKontistAuthError(error, "AUTHORIZATION_ERROR") && error.error === "access_denied") console.log("You refused access.");
 * }
 */
export class AuthorizationError extends KontistAuthError {
  /** The RFC 6749 §4.1.2.1 error code, e.g. `access_denied` (also for Kontist's `AccessDeniedError`). */
  readonly error: string;
  /** Kontist's error type, e.g. `AccessDeniedError`, when the answer carried one; `undefined` for RFC codes. */
  readonly type: string | undefined;
  /** The server's human-readable explanation, when it sent one. */
  readonly error_description: string | undefined;
  /** A URI of a page about the error, when the server sent one. */
  readonly error_uri: string | undefined;

  /**
   * @param parameters - the error parameters of the answer (see `readAuthorizationError` to read them).
   * @param source - where the answer came from, e.g. `the authorization callback`, for the message.
   */
  constructor(parameters: AuthorizationErrorParameters, source: string) {
    const type = parameters.type === undefined ? "" : ` (${quoted(parameters.type)})`;
    const description = parameters.error_description ? `: ${quoted(parameters.error_description)}` : "";
    super(
      "AUTHORIZATION_ERROR",
      `${source} carries the error ${quoted(parameters.error)}${type}${description}`,
    );
    this.error = parameters.error;
    this.type = parameters.type;
    this.error_description = parameters.error_description;
    this.error_uri = parameters.error_uri;
  }
}
