import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The signer's key is gone: its `deleteKey()` was called, or the credential was deleted or replaced by a
 * different key outside this signer (another process, the user in a keychain app). `sign()` never signs
 * with a key other than the one `getPublicKey()` reported. Code `KEYCHAIN_KEY_DELETED`.
 *
 * @example
 * await signer.deleteKey();
 * await signer.sign(message); // rejects: isKontistAuthError(error, "KEYCHAIN_KEY_DELETED")
 */
export class KeychainKeyDeletedError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("KEYCHAIN_KEY_DELETED", message, options);
  }
}
