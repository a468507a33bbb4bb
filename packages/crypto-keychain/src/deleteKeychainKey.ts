import { type KeychainSignerOptions, readKeychainSignerOptions } from "./KeychainSignerOptions";
import { openKeychainEntry } from "./keychain/openKeychainEntry";

/**
 * Deletes the key stored under a service and account, without loading it: what `signer.deleteKey()`
 * does, for when there is no signer (the app is being reset, or the stored value is corrupt and
 * `createKeychainSigner` refuses it). Signers of that key fail on their next `sign()`.
 *
 * @param options - where the key lives: {@link KeychainSignerOptions}.
 * @returns `true` if a credential was deleted, `false` if none was stored.
 * @throws {TypeError} when `service` or `account` is not a non-empty string.
 * @throws {KeychainUnavailableError} when no credential store is reachable.
 * @throws {KeychainError} for any other failure of the store.
 *
 * @example
 * await deleteKeychainKey({ service: "com.example.banking", account: "device-key" });
 */
export async function deleteKeychainKey(options: KeychainSignerOptions): Promise<boolean> {
  return openKeychainEntry(readKeychainSignerOptions(options, "deleteKeychainKey")).remove();
}
