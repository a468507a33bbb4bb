import { SignerError } from "@kontist-auth/crypto";
import { describeErrorClasses } from "@kontist-auth/crypto/testing";
import {
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

describeErrorClasses(
  "PKCS#11 error classes",
  [
    [Pkcs11ModuleError, "PKCS11_MODULE_LOAD_FAILED"],
    [Pkcs11TokenNotFoundError, "PKCS11_TOKEN_NOT_FOUND"],
    [Pkcs11LoginError, "PKCS11_LOGIN_FAILED"],
    [Pkcs11AlreadyLoggedInError, "PKCS11_ALREADY_LOGGED_IN"],
    [Pkcs11KeyNotFoundError, "PKCS11_KEY_NOT_FOUND"],
    [Pkcs11InvalidKeyError, "PKCS11_INVALID_KEY"],
    [Pkcs11ExtractableKeyError, "PKCS11_KEY_EXTRACTABLE"],
    [Pkcs11OperationError, "PKCS11_OPERATION_FAILED"],
    [Pkcs11SignerClosedError, "PKCS11_SIGNER_CLOSED"],
  ],
  [Pkcs11Error, SignerError],
);
