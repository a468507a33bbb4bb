export { createPkcs11Signer, type Pkcs11Signer } from "./createPkcs11Signer";
export {
  Pkcs11AlreadyLoggedInError,
  Pkcs11Error,
  Pkcs11ExtractableKeyError,
  Pkcs11InvalidKeyError,
  Pkcs11KeyNotFoundError,
  Pkcs11LoginError,
  Pkcs11ModuleError,
  Pkcs11OperationError,
  Pkcs11SignerClosedError,
  Pkcs11TokenNotFoundError,
} from "./errors";
export type { Pkcs11SignerBaseOptions, Pkcs11SignerOptions } from "./Pkcs11SignerOptions";
