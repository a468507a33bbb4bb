import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The private key found on the token for the label (and id) can leave the token, or could once: its
 * `CKA_SENSITIVE` is false or `CKA_EXTRACTABLE` true, or `CKA_ALWAYS_SENSITIVE` / `CKA_NEVER_EXTRACTABLE`
 * is false (it was readable or extractable at some point, so a copy may exist). The signer refuses it,
 * since a device key that can be copied is no hardware-bound key, unless `allowExtractableKeys: true`
 * (e.g. a key imported from a backup on purpose). Code `PKCS11_KEY_EXTRACTABLE`; the message names the
 * attributes, never key bytes.
 *
 * @example
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_KEY_EXTRACTABLE")) console.error(error.message); }
 */
export class Pkcs11ExtractableKeyError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("PKCS11_KEY_EXTRACTABLE", message, options);
  }
}
