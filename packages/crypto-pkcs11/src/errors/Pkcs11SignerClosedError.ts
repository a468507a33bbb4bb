import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The signer was closed (`close()`): its session is gone, so it can neither sign, give its public key nor
 * delete its key. Create a new signer to use the key again. Code `PKCS11_SIGNER_CLOSED`.
 *
 * @example
 * await signer.close();
 * await signer.sign(message); // rejects with Pkcs11SignerClosedError
 */
export class Pkcs11SignerClosedError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_SIGNER_CLOSED", message, options);
  }
}
