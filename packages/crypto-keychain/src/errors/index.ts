export { KeychainError } from "./KeychainError";
export { KeychainKeyCorruptError } from "./KeychainKeyCorruptError";
export { KeychainKeyDeletedError } from "./KeychainKeyDeletedError";
export { KeychainUnavailableError } from "./KeychainUnavailableError";
