import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The objects found for the key label / id are not one usable P-256 key pair: more than one private key
 * matches, the public half is missing, the curve is not P-256 (`CKA_EC_PARAMS`), or `CKA_EC_POINT` is not
 * an uncompressed point on the curve. Code `PKCS11_INVALID_KEY`. The message never contains key bytes.
 *
 * @example
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_INVALID_KEY")) console.error(error.message); }
 */
export class Pkcs11InvalidKeyError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_INVALID_KEY", message, options);
  }
}
