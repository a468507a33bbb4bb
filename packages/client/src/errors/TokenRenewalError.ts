import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * A token cannot be renewed: the client holds no refresh token (no token at all, or one issued without
 * the `offline` scope). Code `TOKEN_RENEWAL_FAILED`. The user has to log in again. A refresh the server
 * refuses is an {@link OAuth2Error} instead, and one that gets no answer a {@link NetworkError}.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.refresh();
 * } catch (error) {
 *   if (isKontistAuthError(error, "TOKEN_RENEWAL_FAILED")) location.assign(await client.auth.tokenManager.getAuthUri());
 * }
 */
export class TokenRenewalError extends KontistAuthError {
  /** @param message - why the token cannot be renewed (never containing a token). */
  constructor(message: string) {
    super("TOKEN_RENEWAL_FAILED", message);
  }
}
