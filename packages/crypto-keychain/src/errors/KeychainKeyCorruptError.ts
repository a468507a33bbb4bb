import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The credential stored under the signer's service and account is not a P-256 private key written by
 * this package (not 32 bytes, or not a scalar in `[1, n−1]`), so it is neither used nor overwritten.
 * Code `KEYCHAIN_KEY_CORRUPT`. The message says what is wrong with the value (its length, its range),
 * never the value.
 *
 * @example
 * try { await createKeychainSigner({ service, account }); }
 * catch (error) {
 *   // Something else lives there: pick another account, or remove it if you know it is garbage.
 *   if (isKontistAuthError(error, "KEYCHAIN_KEY_CORRUPT")) await deleteKeychainKey({ service, account });
 * }
 */
export class KeychainKeyCorruptError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("KEYCHAIN_KEY_CORRUPT", message, options);
  }
}
