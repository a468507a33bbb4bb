/**
 * What app developers import: the `P256Signer` contract, the software and WebCrypto signers, the wire
 * encodings and verification. Helpers only signer authors need (DER, low-S, isBytes, signing with a
 * secret key) are in `@kontist-auth/crypto/backend`; the conformance kit is `@kontist-auth/crypto/testing`.
 *
 * @module @kontist-auth/crypto
 */
export { parseDeviceKeyHex } from "./encoding/parseDeviceKeyHex";
export { toDeviceKeyHex } from "./encoding/toDeviceKeyHex";
export {
  IndexedDbUnavailableError,
  InvalidKeyPairError,
  InvalidPublicKeyError,
  InvalidSecretKeyError,
  KeyStorageError,
  SignatureEncodingError,
  SignerError,
  WebCryptoUnavailableError,
} from "./errors";
export { createDeviceSignature } from "./signature/createDeviceSignature";
export { verifyDeviceSignature } from "./signature/verifyDeviceSignature";
export {
  createSoftwareSigner,
  type SoftwareSigner,
  type SoftwareSignerOptions,
} from "./signer/createSoftwareSigner";
export {
  createWebCryptoSigner,
  type WebCryptoSigner,
  type WebCryptoSignerOptions,
} from "./signer/createWebCryptoSigner";
export type { P256Signer } from "./signer/P256Signer";
export { deleteKeyPair } from "./storage/deleteKeyPair";
export type { KeyPairStorageOptions } from "./storage/KeyPairStorageOptions";
export { loadKeyPair } from "./storage/loadKeyPair";
export { saveKeyPair } from "./storage/saveKeyPair";
