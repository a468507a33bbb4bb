import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * A WebCrypto key pair cannot be a device key: not ECDSA on P-256, a private key that may not sign, a
 * public key that cannot be exported as a raw point, or two keys that do not belong together.
 * Code `INVALID_KEY_PAIR`. The message names the rule that failed, never key material.
 *
 * @example
 * try { await createWebCryptoSigner({ keyPair }); }
 * catch (error) { if (isKontistAuthError(error, "INVALID_KEY_PAIR")) await deleteKeyPair("device"); }
 */
export class InvalidKeyPairError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("INVALID_KEY_PAIR", message, options);
  }
}
