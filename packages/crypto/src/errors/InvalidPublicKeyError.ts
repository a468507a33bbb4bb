import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * A public key is not a SEC1 uncompressed P-256 point (`04‖X‖Y`, 65 bytes or 130 hex characters) on the
 * curve. Code `INVALID_PUBLIC_KEY`. The message names the rule that failed, never the key.
 *
 * @example
 * try { parseDeviceKeyHex(input); }
 * catch (error) { if (isKontistAuthError(error, "INVALID_PUBLIC_KEY")) console.error(error.message); }
 */
export class InvalidPublicKeyError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("INVALID_PUBLIC_KEY", message, options);
  }
}
