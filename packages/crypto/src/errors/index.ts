export { InvalidPublicKeyError } from "./InvalidPublicKeyError";
export { InvalidSecretKeyError } from "./InvalidSecretKeyError";
export { SignatureEncodingError } from "./SignatureEncodingError";
export { SignerError } from "./SignerError";
