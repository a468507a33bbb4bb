import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * A secret key is not a valid P-256 private scalar (32 bytes, big-endian, in `[1, n−1]`).
 * Code `INVALID_SECRET_KEY`. The message names the rule that failed, never the key.
 *
 * @example
 * try { createSoftwareSigner({ secretKey }); }
 * catch (error) { if (isKontistAuthError(error, "INVALID_SECRET_KEY")) console.error(error.message); }
 */
export class InvalidSecretKeyError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("INVALID_SECRET_KEY", message, options);
  }
}
