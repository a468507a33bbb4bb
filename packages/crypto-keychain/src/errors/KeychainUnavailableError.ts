import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

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
export class KeychainUnavailableError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("KEYCHAIN_UNAVAILABLE", message, options);
  }
}
