import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The key pair is not (or no longer) on the token: it was deleted (`deleteKey()`, here or by another
 * signer or tool), or it does not exist and `createIfMissing` is `false`. Code `PKCS11_KEY_NOT_FOUND`.
 *
 * @example
 * try { await signer.sign(message); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_KEY_NOT_FOUND")) await bindANewDevice(); }
 */
export class Pkcs11KeyNotFoundError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_KEY_NOT_FOUND", message, options);
  }
}
