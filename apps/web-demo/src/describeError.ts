import { isKontistAuthError } from "@kontist-auth/client";

/**
 * One line for the page: the SDK's stable `code` (and the OAuth2 `error`), then its message. The SDK's
 * messages never contain a token, code, OTP or key, so they are safe to show.
 */
export function describeError(error: unknown): string {
  if (isKontistAuthError(error, "AUTHORIZATION_ERROR") || isKontistAuthError(error, "OAUTH2_ERROR")) {
    return `${error.code} (${error.error}): ${error.message}`;
  }
  if (isKontistAuthError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error || error instanceof DOMException) return `${error.name}: ${error.message}`;
  return String(error);
}
