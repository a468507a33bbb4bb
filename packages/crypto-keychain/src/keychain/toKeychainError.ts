import { isKontistAuthError, type KontistAuthError } from "@kontist-auth/protocol/errors";
import { KeychainError, KeychainUnavailableError } from "../errors";
import { describeKeyLocation, type KeychainSignerOptions } from "../KeychainSignerOptions";

/** What the signer was doing when the store failed, for the message. */
export type KeychainAction = "open" | "read" | "store" | "delete";

const headlessLinuxHint =
  " On Linux the key needs a Secret Service (GNOME Keyring, KWallet, KeePassXC) on the D-Bus session bus;" +
  " on a headless machine run under `dbus-run-session` with `gnome-keyring-daemon --unlock` (see the" +
  " @kontist-auth/crypto-keychain README).";

/**
 * Turns an error of `@napi-rs/keyring` into a typed SDK error. The binding reports every failure with
 * code `GenericFailure`, so the kind is read from the message prefix of keyring-rs's `Error` variants:
 * `PlatformFailure` ("Platform failure: …": no D-Bus, no Secret Service, no keychain) and `NoStorageAccess`
 * ("Couldn't access platform storage: …": locked, prompt dismissed, access denied) mean no usable store.
 * The platform's message (D-Bus and OS texts, which never contain the secret) is kept for diagnosis,
 * except for `Ambiguous`, whose text lists the matching credentials.
 */
export function toKeychainError(
  cause: unknown,
  location: KeychainSignerOptions,
  action: KeychainAction,
): KontistAuthError {
  if (isKontistAuthError(cause)) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const where = describeKeyLocation(location);
  if (reason.startsWith("Platform failure") || reason.startsWith("Couldn't access platform storage")) {
    const hint = process.platform === "linux" ? headlessLinuxHint : "";
    return new KeychainUnavailableError(
      `No OS credential store is available to ${action} the key of ${where} (${reason}).${hint}`,
      { cause },
    );
  }
  if (reason.startsWith("Entry is matched by")) {
    return new KeychainError(
      `Several credentials in the OS credential store match ${where} (another program wrote them); remove the extra ones.`,
      { cause },
    );
  }
  return new KeychainError(`The OS credential store failed to ${action} the key of ${where} (${reason}).`, {
    cause,
  });
}
