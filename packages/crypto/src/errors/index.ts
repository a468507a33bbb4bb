export { IndexedDbUnavailableError } from "./IndexedDbUnavailableError";
export { InvalidKeyPairError } from "./InvalidKeyPairError";
export { InvalidPublicKeyError } from "./InvalidPublicKeyError";
export { InvalidSecretKeyError } from "./InvalidSecretKeyError";
export { KeyStorageError } from "./KeyStorageError";
export { SignatureEncodingError } from "./SignatureEncodingError";
export { SignerError } from "./SignerError";
export { WebCryptoUnavailableError } from "./WebCryptoUnavailableError";
