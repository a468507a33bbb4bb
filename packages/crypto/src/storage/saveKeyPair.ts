import { isCryptoKeyPair } from "../signer/isCryptoKeyPair";
import type { KeyPairStorageOptions } from "./KeyPairStorageOptions";
import { assertKeyPairId, withKeyPairStore } from "./keyPairDatabase";

/**
 * Stores a WebCrypto key pair in IndexedDB under `id`, replacing any pair stored there. IndexedDB keeps
 * `CryptoKey` objects by structured clone (W3C Web Cryptography API §13.4), non-extractable private keys
 * included: the browser persists the key without ever letting script read its bytes. Resolves once the
 * write has committed.
 *
 * @param id - the name to load it by later, e.g. `"device"` or a user id.
 * @param keyPair - e.g. `signer.keyPair` of a {@link createWebCryptoSigner} signer.
 * @param options - see {@link KeyPairStorageOptions}.
 * @throws {IndexedDbUnavailableError} when there is no IndexedDB.
 * @throws {KeyStorageError} when IndexedDB fails to open or write (the IndexedDB error is the `cause`).
 * @throws {TypeError} when `id` is not a non-empty string or `keyPair` is not a pair of `CryptoKey`s.
 *
 * @example
 * const signer = await createWebCryptoSigner();
 * const otp = async () => prompt("The code we sent you by SMS:") ?? "";
 * await client.auth.device.bind({ signer, name: "Browser", otp });
 * await saveKeyPair("device", signer.keyPair);
 */
export async function saveKeyPair(
  id: string,
  keyPair: CryptoKeyPair,
  options: KeyPairStorageOptions = {},
): Promise<void> {
  assertKeyPairId(id, "saveKeyPair");
  if (!isCryptoKeyPair(keyPair)) {
    throw new TypeError("saveKeyPair: keyPair must have a private CryptoKey and a public CryptoKey.");
  }
  const { privateKey, publicKey } = keyPair;
  await withKeyPairStore(options, "readwrite", (store) => store.put({ privateKey, publicKey }, id));
}
