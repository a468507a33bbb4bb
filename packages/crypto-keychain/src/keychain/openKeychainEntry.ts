import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import type { AsyncEntry } from "@napi-rs/keyring";
import { KeychainUnavailableError } from "../errors";
import type { KeychainSignerOptions } from "../KeychainSignerOptions";
import { type KeychainAction, toKeychainError } from "./toKeychainError";

/** One credential of the OS store, as bytes; every failure is a typed SDK error. */
export interface KeychainEntry {
  /** The stored bytes (a copy the caller owns and wipes), or `null` when nothing is stored. */
  read(): Promise<Uint8Array | null>;
  /** Stores `secret`, replacing what was there. The caller still owns (and wipes) `secret`. */
  write(secret: Uint8Array): Promise<void>;
  /** Deletes the credential; `true` if there was one. */
  remove(): Promise<boolean>;
}

type Keyring = typeof import("@napi-rs/keyring");

let keyring: Promise<Keyring> | undefined;

/** Loads the native addon on first use, so importing this package never fails on an unsupported platform. */
function loadKeyring(): Promise<Keyring> {
  keyring ??= import("@napi-rs/keyring").catch((cause: unknown) => {
    keyring = undefined;
    throw new KeychainUnavailableError(
      `The native @napi-rs/keyring addon could not be loaded on ${process.platform}-${process.arch}.`,
      { cause },
    );
  });
  return keyring;
}

/**
 * Opens the credential of `location` through `@napi-rs/keyring`. On Linux the entry is pinned to the
 * Secret Service: the binding would otherwise fall back silently to the kernel keyring, which lives in
 * memory and loses a device key at the next reboot. The native entry (one D-Bus connection on Linux) is
 * made on first use and reused; after an "unavailable" failure the next call makes a new one, so a
 * restarted keyring daemon is picked up.
 */
export function openKeychainEntry(location: KeychainSignerOptions): KeychainEntry {
  let native: AsyncEntry | undefined;

  async function run<T>(action: KeychainAction, operation: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    try {
      const { AsyncEntry } = await loadKeyring();
      native ??= new AsyncEntry(location.service, location.account, { linux: { store: "secret-service" } });
      return await operation(native);
    } catch (cause) {
      const error = toKeychainError(cause, location, action);
      if (isKontistAuthError(error, "KEYCHAIN_UNAVAILABLE")) native = undefined;
      throw error;
    }
  }

  return {
    read: () =>
      run("read", async (entry) => {
        const stored = await entry.getSecret();
        if (stored === null) return null;
        const bytes = Uint8Array.from(stored);
        stored.fill(0);
        return bytes;
      }),
    write: (secret) => run("store", (entry) => entry.setSecret(secret)),
    remove: () => run("delete", (entry) => entry.deleteCredential()),
  };
}
