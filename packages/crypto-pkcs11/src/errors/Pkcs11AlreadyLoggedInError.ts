import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * Another component of this process is already logged in to the token (`C_Login` answered
 * `CKR_USER_ALREADY_LOGGED_IN`, which it does whatever the PIN), and the signer was not told to share
 * that login. The PIN could not be checked without logging the other component out, so the signer
 * refuses instead. Pass `shareExistingLogin: true` to use the existing login knowingly. Code
 * `PKCS11_ALREADY_LOGGED_IN`; the message never contains the PIN.
 *
 * @example
 * try { await createPkcs11Signer(options); }
 * catch (error) {
 *   if (isKontistAuthError(error, "PKCS11_ALREADY_LOGGED_IN")) {
 *     await createPkcs11Signer({ ...options, shareExistingLogin: true }); // the other login is trusted
 *   }
 * }
 */
export class Pkcs11AlreadyLoggedInError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_ALREADY_LOGGED_IN", message, options);
  }
}
