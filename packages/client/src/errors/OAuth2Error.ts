import { KontistAuthError, type OAuth2ErrorBody } from "@kontist-auth/protocol";

/**
 * The token endpoint refused a request with an OAuth2 error body (RFC 6749 §5.2), e.g. `invalid_grant`
 * for wrong credentials or an expired refresh token, `invalid_client` for a wrong client secret.
 * Code `OAUTH2_ERROR`; `status` is the HTTP status (400 or 401).
 *
 * `error` and `error_description` keep the names RFC 6749 gives them. The description is the server's
 * text, with any secret of the request (password, token, client secret) replaced by `[redacted]`.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password: "…" });
 * } catch (error) {
 *   if (isKontistAuthError(error, "OAUTH2_ERROR") && error.error === "invalid_grant") console.log("Wrong e-mail or password.");
 * }
 */
export class OAuth2Error extends KontistAuthError {
  /** The RFC 6749 §5.2 error code, e.g. `invalid_grant`, `invalid_client`, `invalid_scope`. */
  readonly error: string;
  /** The server's human-readable explanation, when it sent one (secrets of the request redacted). */
  readonly error_description: string | undefined;
  /** A URI of a page about the error, when the server sent one. */
  readonly error_uri: string | undefined;

  /**
   * @param body - the parsed OAuth2 error body; redact `error_description` before passing it in.
   * @param status - the HTTP status of the response.
   * @param source - what was requested, e.g. `POST /api/oauth/token`, for the message.
   */
  constructor(body: OAuth2ErrorBody, status: number, source: string) {
    const description = body.error_description ? `: ${body.error_description}` : "";
    super("OAUTH2_ERROR", `${source} failed with HTTP ${status} ${body.error}${description}`, { status });
    this.error = body.error;
    this.error_description = body.error_description;
    this.error_uri = body.error_uri;
  }
}
