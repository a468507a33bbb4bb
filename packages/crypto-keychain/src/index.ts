export { createKeychainSigner, type KeychainSigner } from "./createKeychainSigner";
export { deleteKeychainKey } from "./deleteKeychainKey";
export {
  KeychainError,
  KeychainKeyCorruptError,
  KeychainKeyDeletedError,
  KeychainUnavailableError,
} from "./errors";
export type { KeychainSignerOptions } from "./KeychainSignerOptions";
