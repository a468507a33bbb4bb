import type { KeyPairStorageOptions } from "./KeyPairStorageOptions";
import { assertKeyPairId, withKeyPairStore } from "./keyPairDatabase";

/**
 * Deletes the key pair stored under `id` from IndexedDB (nothing happens when there is none). The keys
 * are gone for good once no `CryptoKey` object referring to them is left in memory: delete the device
 * on the server too (`client.auth.device.remove(deviceId)`, GraphQL `deleteBoundDevice`).
 *
 * @param id - the name it was saved under.
 * @param options - see {@link KeyPairStorageOptions}; the same as when it was saved.
 * @throws {IndexedDbUnavailableError} when there is no IndexedDB.
 * @throws {KeyStorageError} when IndexedDB fails to open or delete.
 * @throws {TypeError} when `id` is not a non-empty string.
 *
 * @example
 * await deleteKeyPair("device"); // on log-out or device removal
 */
export async function deleteKeyPair(id: string, options: KeyPairStorageOptions = {}): Promise<void> {
  assertKeyPairId(id, "deleteKeyPair");
  await withKeyPairStore(options, "readwrite", (store) => store.delete(id));
}
