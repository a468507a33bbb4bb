import { SignerError } from "@kontist-auth/crypto";

// The errors of @kontist-auth/crypto-pkcs11: one family under Pkcs11Error, itself a SignerError of
// @kontist-auth/crypto. Messages name the step and the PKCS#11 return value (`CKR_…`), never the PIN or
// key bytes; the native pkcs11js error, where there is one, is the `cause`.

/**
 * The parent of every error of this package, so `instanceof Pkcs11Error` catches any PKCS#11 failure.
 * It has no code of its own (and is never thrown as it is): each subclass has its own, set with a static
 * `code`. A failed signature itself is a `SignerError` (`SIGNER_FAILED`) of `@kontist-auth/crypto`.
 *
 * @example
 * const pin = process.env.PKCS11_PIN ?? "";
 * const options = { module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "kontist", pin, keyLabel: "device" };
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (error instanceof Pkcs11Error) console.error(error.code, error.message); }
 */
export abstract class Pkcs11Error extends SignerError {}

/**
 * The PKCS#11 module (the token vendor's shared library, e.g. SoftHSM2's `libsofthsm2.so`) could not be
 * loaded or initialised (`C_Initialize`). Code `PKCS11_MODULE_LOAD_FAILED`; the native error is the `cause`.
 *
 * @example
 * const pin = process.env.PKCS11_PIN ?? "";
 * const options = { module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "kontist", pin, keyLabel: "device" };
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_MODULE_LOAD_FAILED")) console.error(error.message); }
 */
export class Pkcs11ModuleError extends Pkcs11Error {
  static override readonly code = "PKCS11_MODULE_LOAD_FAILED";
}

/**
 * No token with the asked-for label is present in any slot of the module, or the slot index is out of
 * range. Code `PKCS11_TOKEN_NOT_FOUND`. The message lists the labels of the tokens that are present.
 *
 * @example
 * const pin = process.env.PKCS11_PIN ?? "";
 * const options = { module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "my-token", pin, keyLabel: "device" };
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_TOKEN_NOT_FOUND")) console.error(error.message); }
 */
export class Pkcs11TokenNotFoundError extends Pkcs11Error {
  static override readonly code = "PKCS11_TOKEN_NOT_FOUND";
}

/**
 * The user could not log in to the token (`C_Login`): a wrong PIN (`CKR_PIN_INCORRECT`), a locked PIN
 * (`CKR_PIN_LOCKED`), a PIN of the wrong length, or a PIN that differs from the one this process is
 * already logged in with. Code `PKCS11_LOGIN_FAILED`. The message names the PKCS#11 return value, never
 * the PIN.
 *
 * @example
 * const pin = process.env.PKCS11_PIN ?? "";
 * const options = { module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "kontist", pin, keyLabel: "device" };
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_LOGIN_FAILED")) console.error("Wrong or locked PIN."); }
 */
export class Pkcs11LoginError extends Pkcs11Error {
  static override readonly code = "PKCS11_LOGIN_FAILED";
}

/**
 * Another component of this process is already logged in to the token (`C_Login` answered
 * `CKR_USER_ALREADY_LOGGED_IN`, which it does whatever the PIN), and the signer was not told to share
 * that login. The PIN could not be checked without logging the other component out, so the signer
 * refuses instead. Pass `shareExistingLogin: true` to use the existing login knowingly. Code
 * `PKCS11_ALREADY_LOGGED_IN`; the message never contains the PIN.
 *
 * @example
 * const pin = process.env.PKCS11_PIN ?? "";
 * const options = { module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "kontist", pin, keyLabel: "device" };
 * try { await createPkcs11Signer(options); }
 * catch (error) {
 *   if (isKontistAuthError(error, "PKCS11_ALREADY_LOGGED_IN")) {
 *     await createPkcs11Signer({ ...options, shareExistingLogin: true }); // the other login is trusted
 *   }
 * }
 */
export class Pkcs11AlreadyLoggedInError extends Pkcs11Error {
  static override readonly code = "PKCS11_ALREADY_LOGGED_IN";
}

/**
 * The key pair is not (or no longer) on the token: it was deleted (`deleteKey()`, here or by another
 * signer or tool), or it does not exist and `createIfMissing` is `false`. Code `PKCS11_KEY_NOT_FOUND`.
 *
 * @example
 * try { await signer.sign(new TextEncoder().encode("123456")); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_KEY_NOT_FOUND")) console.error("No device key: bind again."); }
 */
export class Pkcs11KeyNotFoundError extends Pkcs11Error {
  static override readonly code = "PKCS11_KEY_NOT_FOUND";
}

/**
 * The objects found for the key label / id are not one usable P-256 key pair: more than one private key
 * matches, the public half is missing, the curve is not P-256 (`CKA_EC_PARAMS`), or `CKA_EC_POINT` is not
 * an uncompressed point on the curve. Code `PKCS11_INVALID_KEY`. The message never contains key bytes.
 *
 * @example
 * const pin = process.env.PKCS11_PIN ?? "";
 * const options = { module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "kontist", pin, keyLabel: "device" };
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_INVALID_KEY")) console.error(error.message); }
 */
export class Pkcs11InvalidKeyError extends Pkcs11Error {
  static override readonly code = "PKCS11_INVALID_KEY";
}

/**
 * The private key found on the token for the label (and id) can leave the token, or could once: its
 * `CKA_SENSITIVE` is false or `CKA_EXTRACTABLE` true, or `CKA_ALWAYS_SENSITIVE` / `CKA_NEVER_EXTRACTABLE`
 * is false (it was readable or extractable at some point, so a copy may exist). The signer refuses it,
 * since a device key that can be copied is no hardware-bound key, unless `allowExtractableKeys: true`
 * (e.g. a key imported from a backup on purpose). Code `PKCS11_KEY_EXTRACTABLE`; the message names the
 * attributes, never key bytes.
 *
 * @example
 * const pin = process.env.PKCS11_PIN ?? "";
 * const options = { module: "/usr/lib/softhsm/libsofthsm2.so", tokenLabel: "kontist", pin, keyLabel: "device" };
 * try { await createPkcs11Signer(options); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_KEY_EXTRACTABLE")) console.error(error.message); }
 */
export class Pkcs11ExtractableKeyError extends Pkcs11Error {
  static override readonly code = "PKCS11_KEY_EXTRACTABLE";
}

/**
 * A PKCS#11 call other than login or signing failed: opening a session, searching objects, generating or
 * destroying the key pair. Code `PKCS11_OPERATION_FAILED`; the message names the step and the PKCS#11
 * return value (e.g. `CKR_DEVICE_MEMORY`), the native error is the `cause`.
 *
 * @example
 * try { await signer.deleteKey(); }
 * catch (error) { if (isKontistAuthError(error, "PKCS11_OPERATION_FAILED")) console.error(error.message); }
 */
export class Pkcs11OperationError extends Pkcs11Error {
  static override readonly code = "PKCS11_OPERATION_FAILED";
}

/**
 * The signer was closed (`close()`): its session is gone, so it can neither sign, give its public key nor
 * delete its key. Create a new signer to use the key again. Code `PKCS11_SIGNER_CLOSED`.
 *
 * @example
 * await signer.close();
 * await signer.sign(new TextEncoder().encode("123456")); // rejects: isKontistAuthError(error, "PKCS11_SIGNER_CLOSED")
 */
export class Pkcs11SignerClosedError extends Pkcs11Error {
  static override readonly code = "PKCS11_SIGNER_CLOSED";
}

declare module "@kontist-auth/protocol/errors" {
  interface KontistAuthErrorCodes {
    PKCS11_MODULE_LOAD_FAILED: Pkcs11ModuleError;
    PKCS11_TOKEN_NOT_FOUND: Pkcs11TokenNotFoundError;
    PKCS11_LOGIN_FAILED: Pkcs11LoginError;
    PKCS11_ALREADY_LOGGED_IN: Pkcs11AlreadyLoggedInError;
    PKCS11_KEY_NOT_FOUND: Pkcs11KeyNotFoundError;
    PKCS11_INVALID_KEY: Pkcs11InvalidKeyError;
    PKCS11_KEY_EXTRACTABLE: Pkcs11ExtractableKeyError;
    PKCS11_OPERATION_FAILED: Pkcs11OperationError;
    PKCS11_SIGNER_CLOSED: Pkcs11SignerClosedError;
  }
}
