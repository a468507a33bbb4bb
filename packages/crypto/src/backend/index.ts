/**
 * For signer authors: the pieces every P256Signer backend needs, in one place, so no backend keeps its
 * own copy. App developers import from `@kontist-auth/crypto` only.
 *
 * @module @kontist-auth/crypto/backend
 */
export { fromDerSignatureHex } from "../encoding/fromDerSignatureHex";
export { isBytes } from "../encoding/isBytes";
export { isLowS } from "../encoding/isLowS";
export { normalizeLowS } from "../encoding/normalizeLowS";
export { toDerSignatureHex } from "../encoding/toDerSignatureHex";
export { assertSignMessage } from "../signer/assertSignMessage";
export {
  generateSecretKey,
  isValidSecretKey,
  publicKeyFromSecretKey,
  signWithSecretKey,
} from "../signer/secretKey";
