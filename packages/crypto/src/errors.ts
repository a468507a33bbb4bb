import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

// The errors of @kontist-auth/crypto, by source: the signer family (a signer could not be made or failed;
// the backend packages hang their own families under it), wire encodings, and IndexedDB key storage.
// Every message names the rule that failed, never key material, signatures or their hex.

/**
 * A signer failed: its `sign` or `getPublicKey` threw (the original error is the `cause`), or it returned
 * something other than the contract promises (a 64-byte `r‖s` with `r` and `s` in `[1, n−1]`, a 65-byte
 * uncompressed point). Code `SIGNER_FAILED`. The message never contains key material or signature bytes.
 *
 * It is also the parent of every error a signer backend throws, each with a code of its own
 * ({@link WebCryptoUnavailableError}, {@link InvalidKeyPairError}, {@link InvalidSecretKeyError}, and the
 * `KeychainError` and `Pkcs11Error` families), so `instanceof SignerError` catches any signer failure.
 * A subclass sets its code with a static `code`.
 *
 * @example
 * try { await createDeviceSignature(signer, "123456"); }
 * catch (error) { if (isKontistAuthError(error, "SIGNER_FAILED")) console.error(error.message, error.cause); }
 */
export class SignerError extends KontistAuthError {
  /** The code of errors of this class. */
  static readonly code: string = "SIGNER_FAILED";

  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}

/**
 * The runtime has no WebCrypto (`crypto.subtle`): an old runtime, or a browser page that is not a secure
 * context (served over plain `http://` from a host other than `localhost`). Code `WEBCRYPTO_UNAVAILABLE`.
 *
 * @example
 * let signer: P256Signer;
 * try { signer = await createWebCryptoSigner(); }
 * catch (error) {
 *   if (!isKontistAuthError(error, "WEBCRYPTO_UNAVAILABLE")) throw error;
 *   signer = createSoftwareSigner();
 * }
 */
export class WebCryptoUnavailableError extends SignerError {
  static override readonly code = "WEBCRYPTO_UNAVAILABLE";
}

/**
 * A WebCrypto key pair cannot be a device key: not ECDSA on P-256, a private key that may not sign, a
 * public key that cannot be exported as a raw point, or two keys that do not belong together.
 * Code `INVALID_KEY_PAIR`. The message names the rule that failed, never key material.
 *
 * @example
 * const keyPair = await loadKeyPair("device");
 * try { if (keyPair) await createWebCryptoSigner({ keyPair }); }
 * catch (error) { if (isKontistAuthError(error, "INVALID_KEY_PAIR")) await deleteKeyPair("device"); }
 */
export class InvalidKeyPairError extends SignerError {
  static override readonly code = "INVALID_KEY_PAIR";
}

/**
 * A secret key is not a valid P-256 private scalar (32 bytes, big-endian, in `[1, n−1]`).
 * Code `INVALID_SECRET_KEY`. The message names the rule that failed, never the key.
 *
 * @example
 * const secretKey = new Uint8Array(32); // zero: not in [1, n−1]
 * try { createSoftwareSigner({ secretKey }); }
 * catch (error) { if (isKontistAuthError(error, "INVALID_SECRET_KEY")) console.error(error.message); }
 */
export class InvalidSecretKeyError extends SignerError {
  static override readonly code = "INVALID_SECRET_KEY";
}

/**
 * A signature is not in the encoding asked for: not strict ASN.1 DER, not 64 bytes of `r‖s`, or `r` / `s`
 * outside `[1, n−1]`. Code `INVALID_SIGNATURE_ENCODING`. The message names the rule that failed, never
 * the signature itself.
 *
 * @example
 * import { fromDerSignatureHex } from "@kontist-auth/crypto/backend";
 *
 * try { fromDerSignatureHex("3006020100020101"); } // r = 0
 * catch (error) { if (isKontistAuthError(error, "INVALID_SIGNATURE_ENCODING")) console.error(error.message); }
 */
export class SignatureEncodingError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("INVALID_SIGNATURE_ENCODING", message, options);
  }
}

/**
 * A public key is not a SEC1 uncompressed P-256 point (`04‖X‖Y`, 65 bytes or 130 hex characters) on the
 * curve. Code `INVALID_PUBLIC_KEY`. The message names the rule that failed, never the key.
 *
 * @example
 * try { parseDeviceKeyHex(`04${"00".repeat(64)}`); } // not a point on P-256
 * catch (error) { if (isKontistAuthError(error, "INVALID_PUBLIC_KEY")) console.error(error.message); }
 */
export class InvalidPublicKeyError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("INVALID_PUBLIC_KEY", message, options);
  }
}

/**
 * IndexedDB failed to open the key database or to read, write or delete a key pair (quota exceeded, the
 * database blocked by another tab at an older version, a stored value that is not a key pair).
 * Code `KEY_STORAGE_FAILED`; IndexedDB's own error, where there is one, is the `cause`. The parent of
 * {@link IndexedDbUnavailableError}; a subclass sets its code with a static `code`.
 *
 * @example
 * const signer = await createWebCryptoSigner();
 * try { await saveKeyPair("device", signer.keyPair); }
 * catch (error) { if (isKontistAuthError(error, "KEY_STORAGE_FAILED")) console.error(error.message, error.cause); }
 */
export class KeyStorageError extends KontistAuthError {
  /** The code of errors of this class. */
  static readonly code: string = "KEY_STORAGE_FAILED";

  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super(new.target.code, message, options);
  }
}

/**
 * The runtime has no IndexedDB (`indexedDB`): Node, a web worker without it, or a browser that refuses
 * storage (some private modes). Code `INDEXEDDB_UNAVAILABLE`.
 *
 * @example
 * const signer = await createWebCryptoSigner();
 * try { await saveKeyPair("device", signer.keyPair); }
 * catch (error) {
 *   if (isKontistAuthError(error, "INDEXEDDB_UNAVAILABLE")) console.warn("This browser will not remember the device.");
 * }
 */
export class IndexedDbUnavailableError extends KeyStorageError {
  static override readonly code = "INDEXEDDB_UNAVAILABLE";
}

declare module "@kontist-auth/protocol/errors" {
  interface KontistAuthErrorCodes {
    SIGNER_FAILED: SignerError;
    WEBCRYPTO_UNAVAILABLE: WebCryptoUnavailableError;
    INVALID_KEY_PAIR: InvalidKeyPairError;
    INVALID_SECRET_KEY: InvalidSecretKeyError;
    INVALID_SIGNATURE_ENCODING: SignatureEncodingError;
    INVALID_PUBLIC_KEY: InvalidPublicKeyError;
    KEY_STORAGE_FAILED: KeyStorageError;
    INDEXEDDB_UNAVAILABLE: IndexedDbUnavailableError;
  }
}
