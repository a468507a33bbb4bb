import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The PKCS#11 module (the token vendor's shared library, e.g. SoftHSM2's `libsofthsm2.so`) could not be
 * loaded or initialised (`C_Initialize`). Code `PKCS11_MODULE_LOAD_FAILED`; the native error is the `cause`.
 *
 * @example
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_MODULE_LOAD_FAILED")) console.error(error.message); }
 */
export class Pkcs11ModuleError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_MODULE_LOAD_FAILED", message, options);
  }
}
