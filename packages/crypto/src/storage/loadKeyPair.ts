import { KeyStorageError } from "../errors";
import { isCryptoKeyPair } from "../signer/isCryptoKeyPair";
import type { KeyPairStorageOptions } from "./KeyPairStorageOptions";
import { assertKeyPairId, withKeyPairStore } from "./keyPairDatabase";

/**
 * Reads the WebCrypto key pair {@link saveKeyPair} stored under `id` from IndexedDB.
 *
 * @param id - the name it was saved under.
 * @param options - see {@link KeyPairStorageOptions}; the same as when it was saved.
 * @returns the key pair, or `undefined` when nothing is stored under `id`.
 * @throws {IndexedDbUnavailableError} when there is no IndexedDB.
 * @throws {KeyStorageError} when IndexedDB fails to open or read, or the value under `id` is not a key pair.
 * @throws {TypeError} when `id` is not a non-empty string.
 *
 * @example
 * const keyPair = await loadKeyPair("device");
 * // undefined: no device is bound in this browser yet (bind one, then saveKeyPair).
 * const signer = keyPair ? await createWebCryptoSigner({ keyPair }) : undefined;
 */
export async function loadKeyPair(
  id: string,
  options: KeyPairStorageOptions = {},
): Promise<CryptoKeyPair | undefined> {
  assertKeyPairId(id, "loadKeyPair");
  const value: unknown = await withKeyPairStore(options, "readonly", (store) => store.get(id));
  if (value === undefined) return undefined;
  if (!isCryptoKeyPair(value)) {
    throw new KeyStorageError("The value stored under this id is not a CryptoKeyPair.");
  }
  return { privateKey: value.privateKey, publicKey: value.publicKey };
}
