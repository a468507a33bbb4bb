import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The OS credential store failed in a way the other keychain errors do not cover: several credentials
 * match the service and account (written by another program), an attribute is too long or invalid for
 * the platform, an unexpected platform error. Code `KEYCHAIN_FAILED`; the platform's error is the `cause`.
 *
 * @example
 * try { await signer.deleteKey(); }
 * catch (error) { if (isKontistAuthError(error, "KEYCHAIN_FAILED")) console.error(error.message, error.cause); }
 */
export class KeychainError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("KEYCHAIN_FAILED", message, options);
  }
}
