export { Pkcs11InvalidKeyError } from "./Pkcs11InvalidKeyError";
export { Pkcs11KeyNotFoundError } from "./Pkcs11KeyNotFoundError";
export { Pkcs11LoginError } from "./Pkcs11LoginError";
export { Pkcs11ModuleError } from "./Pkcs11ModuleError";
export { Pkcs11OperationError } from "./Pkcs11OperationError";
export { Pkcs11SignerClosedError } from "./Pkcs11SignerClosedError";
export { Pkcs11TokenNotFoundError } from "./Pkcs11TokenNotFoundError";
