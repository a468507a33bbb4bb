export { fromDerSignatureHex } from "./encoding/fromDerSignatureHex";
export { isLowS } from "./encoding/isLowS";
export { normalizeLowS } from "./encoding/normalizeLowS";
export { parseDeviceKeyHex } from "./encoding/parseDeviceKeyHex";
export { toDerSignatureHex } from "./encoding/toDerSignatureHex";
export { toDeviceKeyHex } from "./encoding/toDeviceKeyHex";
export { InvalidPublicKeyError, InvalidSecretKeyError, SignatureEncodingError, SignerError } from "./errors";
export { createDeviceSignature } from "./signature/createDeviceSignature";
export { verifyDeviceSignature } from "./signature/verifyDeviceSignature";
export {
  createSoftwareSigner,
  type SoftwareSigner,
  type SoftwareSignerOptions,
} from "./signer/createSoftwareSigner";
export type { P256Signer } from "./signer/P256Signer";
