import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * A call that needs an access token (every `/api/user/*` call) was made while the client holds none.
 * Code `NO_TOKEN`; no request was sent. Get a token first, e.g. with
 * `client.auth.tokenManager.fetchTokenFromCredentials()` or `setToken()`.
 *
 * @example
 * try {
 *   await client.auth.push.list();
 * } catch (error) {
 *   if (isKontistAuthError(error, "NO_TOKEN")) location.assign(await client.auth.tokenManager.getAuthUri());
 * }
 */
export class NoTokenError extends KontistAuthError {
  /** @param source - the call that needed a token, e.g. `POST /api/user/devices`. */
  constructor(source: string) {
    super(
      "NO_TOKEN",
      `${source} needs an access token, and the client has none; log in or call setToken() first`,
    );
  }
}
