import { SignerError } from "@kontist-auth/crypto";

// The errors of @kontist-auth/crypto-keychain: one family under KeychainError, itself a SignerError of
// @kontist-auth/crypto. Messages name the service and account and the platform's reason, never key material.

/**
 * The OS credential store failed in a way the other keychain errors do not cover: several credentials
 * match the service and account (written by another program), an attribute is too long or invalid for
 * the platform, an unexpected platform error. Code `KEYCHAIN_FAILED`; the platform's error is the `cause`.
 *
 * It is also the parent of every error of this package ({@link KeychainUnavailableError},
 * {@link KeychainKeyCorruptError}, {@link KeychainKeyDeletedError}), each with a code of its own, so
 * `instanceof KeychainError` catches any keychain failure.
 *
 * @example
 * try { await signer.deleteKey(); }
 * catch (error) { if (isKontistAuthError(error, "KEYCHAIN_FAILED")) console.error(error.message, error.cause); }
 */
export class KeychainError extends SignerError {
  static override readonly code: string = "KEYCHAIN_FAILED";
}

/**
 * No OS credential store could be used: on Linux no Secret Service answers on the D-Bus session bus (a
 * headless machine without `gnome-keyring`, or `DBUS_SESSION_BUS_ADDRESS` unset or stale), or the store
 * refused access (a locked keyring whose unlock prompt was dismissed, access denied by the user or the OS).
 * Code `KEYCHAIN_UNAVAILABLE`. The original error of the platform is the `cause`; the message names the
 * service and account, never key material.
 *
 * @example
 * try { await createKeychainSigner({ service: "my-app", account: "device" }); }
 * catch (error) {
 *   if (isKontistAuthError(error, "KEYCHAIN_UNAVAILABLE")) console.error("No credential store:", error.message);
 * }
 */
export class KeychainUnavailableError extends KeychainError {
  static override readonly code = "KEYCHAIN_UNAVAILABLE";
}

/**
 * The credential stored under the signer's service and account is not a P-256 private key written by
 * this package (not 32 bytes, or not a scalar in `[1, n−1]`), so it is neither used nor overwritten.
 * Code `KEYCHAIN_KEY_CORRUPT`. The message says what is wrong with the value (its length, its range),
 * never the value.
 *
 * @example
 * const entry = { service: "my-app", account: "device" };
 * try { await createKeychainSigner(entry); }
 * catch (error) {
 *   // Something else lives there: pick another account, or remove it if you know it is garbage.
 *   if (isKontistAuthError(error, "KEYCHAIN_KEY_CORRUPT")) await deleteKeychainKey(entry);
 * }
 */
export class KeychainKeyCorruptError extends KeychainError {
  static override readonly code = "KEYCHAIN_KEY_CORRUPT";
}

/**
 * The signer's key is gone: its `deleteKey()` was called, or the credential was deleted or replaced by a
 * different key outside this signer (another process, the user in a keychain app). `sign()` never signs
 * with a key other than the one `getPublicKey()` reported. Code `KEYCHAIN_KEY_DELETED`.
 *
 * @example
 * await signer.deleteKey();
 * await signer.sign(new TextEncoder().encode("123456")); // rejects: isKontistAuthError(error, "KEYCHAIN_KEY_DELETED")
 */
export class KeychainKeyDeletedError extends KeychainError {
  static override readonly code = "KEYCHAIN_KEY_DELETED";
}

declare module "@kontist-auth/protocol/errors" {
  interface KontistAuthErrorCodes {
    KEYCHAIN_FAILED: KeychainError;
    KEYCHAIN_UNAVAILABLE: KeychainUnavailableError;
    KEYCHAIN_KEY_CORRUPT: KeychainKeyCorruptError;
    KEYCHAIN_KEY_DELETED: KeychainKeyDeletedError;
  }
}
