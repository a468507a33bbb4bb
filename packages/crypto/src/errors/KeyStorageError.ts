import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * IndexedDB failed to open the key database or to read, write or delete a key pair (quota exceeded, the
 * database blocked by another tab at an older version, a stored value that is not a key pair).
 * Code `KEY_STORAGE_FAILED`; IndexedDB's own error, where there is one, is the `cause`.
 *
 * @example
 * try { await saveKeyPair("device", signer.keyPair); }
 * catch (error) { if (isKontistAuthError(error, "KEY_STORAGE_FAILED")) console.error(error.message, error.cause); }
 */
export class KeyStorageError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("KEY_STORAGE_FAILED", message, options);
  }
}
