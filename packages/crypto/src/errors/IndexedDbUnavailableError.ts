import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The runtime has no IndexedDB (`indexedDB`): Node, a web worker without it, or a browser that refuses
 * storage (some private modes). Code `INDEXEDDB_UNAVAILABLE`.
 *
 * @example
 * try { await saveKeyPair("device", signer.keyPair); }
 * catch (error) { if (isKontistAuthError(error, "INDEXEDDB_UNAVAILABLE")) showNotRememberedHint(); }
 */
export class IndexedDbUnavailableError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("INDEXEDDB_UNAVAILABLE", message, options);
  }
}
