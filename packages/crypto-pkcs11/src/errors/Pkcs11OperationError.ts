import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * A PKCS#11 call other than login or signing failed: opening a session, searching objects, generating or
 * destroying the key pair. Code `PKCS11_OPERATION_FAILED`; the message names the step and the PKCS#11
 * return value (e.g. `CKR_DEVICE_MEMORY`), the native error is the `cause`.
 *
 * @example
 * try { await signer.deleteKey(); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_OPERATION_FAILED")) console.error(error.message); }
 */
export class Pkcs11OperationError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_OPERATION_FAILED", message, options);
  }
}
