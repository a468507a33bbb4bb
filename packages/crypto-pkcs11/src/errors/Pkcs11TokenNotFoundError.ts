import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * No token with the asked-for label is present in any slot of the module, or the slot index is out of
 * range. Code `PKCS11_TOKEN_NOT_FOUND`. The message lists the labels of the tokens that are present.
 *
 * @example
 * try { await createPkcs11Signer({ ...options, tokenLabel: "my-token" }); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_TOKEN_NOT_FOUND")) console.error(error.message); }
 */
export class Pkcs11TokenNotFoundError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_TOKEN_NOT_FOUND", message, options);
  }
}
