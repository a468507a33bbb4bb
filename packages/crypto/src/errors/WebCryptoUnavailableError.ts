import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The runtime has no WebCrypto (`crypto.subtle`): an old runtime, or a browser page that is not a secure
 * context (served over plain `http://` from a host other than `localhost`). Code `WEBCRYPTO_UNAVAILABLE`.
 *
 * @example
 * try { signer = await createWebCryptoSigner(); }
 * catch (error) { if (isKontistAuthError(error, "WEBCRYPTO_UNAVAILABLE")) signer = createSoftwareSigner(); }
 */
export class WebCryptoUnavailableError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("WEBCRYPTO_UNAVAILABLE", message, options);
  }
}
