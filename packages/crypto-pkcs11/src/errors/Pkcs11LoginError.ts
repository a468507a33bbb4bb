import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The user could not log in to the token (`C_Login`): a wrong PIN (`CKR_PIN_INCORRECT`), a locked PIN
 * (`CKR_PIN_LOCKED`), a PIN of the wrong length, or a PIN that differs from the one this process is
 * already logged in with. Code `PKCS11_LOGIN_FAILED`. The message names the PKCS#11 return value, never
 * the PIN.
 *
 * @example
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_LOGIN_FAILED")) askForThePinAgain(); }
 */
export class Pkcs11LoginError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_LOGIN_FAILED", message, options);
  }
}
