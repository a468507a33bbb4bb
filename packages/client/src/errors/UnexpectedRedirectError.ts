import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * The API answered with a redirect (HTTP 3xx), which the client never follows: following one would send
 * the request again — a password, a refresh token, a client secret, a signature — to wherever `Location`
 * points, another origin included. Code `UNEXPECTED_REDIRECT`, `status` the 3xx (0 in a browser, which
 * hides a redirect's status). Kontist's API does not redirect API calls: check `baseUrl` (e.g. `http:`
 * where the server wants `https:`, or a missing path prefix). `Location` is not kept.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password: "…" });
 * } catch (error) {
 *   if (isKontistAuthError(error, "UNEXPECTED_REDIRECT")) console.error(`check baseUrl (HTTP ${error.status})`);
 * }
 */
export class UnexpectedRedirectError extends KontistAuthError {
  /** The redirect's HTTP status (301, 302, 303, 307, 308), or 0 where the platform hides it. */
  declare readonly status: number;

  /**
   * @param source - what was requested, e.g. `POST /api/oauth/token`, for the message.
   * @param status - the redirect's HTTP status (0 for a browser's opaque redirect).
   */
  constructor(source: string, status: number) {
    super(
      "UNEXPECTED_REDIRECT",
      `${source} was answered with a redirect${status === 0 ? "" : ` (HTTP ${status})`}, which the client ` +
        "does not follow: check baseUrl",
      { status },
    );
  }
}
