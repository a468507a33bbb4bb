export {
  createPkcs11Signer,
  type Pkcs11Signer,
  type Pkcs11SignerBaseOptions,
  type Pkcs11SignerOptions,
} from "./createPkcs11Signer";
export {
  Pkcs11AlreadyLoggedInError,
  Pkcs11ExtractableKeyError,
  Pkcs11InvalidKeyError,
  Pkcs11KeyNotFoundError,
  Pkcs11LoginError,
  Pkcs11ModuleError,
  Pkcs11OperationError,
  Pkcs11SignerClosedError,
  Pkcs11TokenNotFoundError,
} from "./errors";
