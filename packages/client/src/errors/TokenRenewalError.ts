import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol";

/**
 * A token cannot be renewed: the client holds no refresh token (no token at all, or one issued without
 * the `offline` scope). Code `TOKEN_RENEWAL_FAILED`. The user has to log in again. A refresh the server
 * refuses is an {@link OAuth2Error} instead, and one that gets no answer a {@link NetworkError}.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.refresh();
 * } catch (error) {
 *   if (isTokenRenewalError(error)) redirectToLogin();
 * }
 */
export class TokenRenewalError extends KontistAuthError {
  /** @param message - why the token cannot be renewed (never containing a token). */
  constructor(message: string) {
    super("TOKEN_RENEWAL_FAILED", message);
  }
}

/**
 * Tells whether `value` is a {@link TokenRenewalError} from any copy of the SDK (checks `code`).
 *
 * @example
 * if (isTokenRenewalError(error)) redirectToLogin();
 */
export function isTokenRenewalError(value: unknown): value is TokenRenewalError {
  return isKontistAuthError(value, "TOKEN_RENEWAL_FAILED");
}
