import type { P256Signer } from "@kontist-auth/crypto";
import {
  assertSignMessage,
  generateSecretKey,
  publicKeyFromSecretKey,
  signWithSecretKey,
} from "@kontist-auth/crypto/backend";
import { KeychainError, KeychainKeyDeletedError } from "./errors";
import {
  describeKeyLocation,
  type KeychainSignerOptions,
  readKeychainSignerOptions,
} from "./KeychainSignerOptions";
import { createSecretKeyLease } from "./key/createSecretKeyLease";
import { decodeStoredSecretKey } from "./key/decodeStoredSecretKey";
import { type KeychainEntry, openKeychainEntry } from "./keychain/openKeychainEntry";

/** A {@link P256Signer} whose private key is kept in the OS credential store. */
export interface KeychainSigner extends P256Signer {
  /** The service the key is filed under. */
  readonly service: string;
  /** The account the key is filed under. */
  readonly account: string;
  /**
   * Deletes the key from the credential store (nothing happens if it is already gone). Afterwards this
   * signer's `sign()` and `getPublicKey()` reject with {@link KeychainKeyDeletedError}, other signers of
   * the same service and account fail on their next `sign()`, and a new `createKeychainSigner` makes a
   * new key.
   *
   * @throws {KeychainUnavailableError} when the store cannot be reached; the key is then still there.
   * @throws {KeychainError} for any other failure of the store.
   */
  deleteKey(): Promise<void>;
}

/**
 * Creates a P-256 signer whose private key lives in the OS credential store through `@napi-rs/keyring`:
 * the macOS Keychain, the Windows Credential Manager, or the Linux Secret Service (GNOME Keyring,
 * KWallet, KeePassXC; never the kernel keyring, which forgets keys at reboot). The first call for a
 * service + account generates a key (with the platform's CSPRNG) and stores it; later calls, in this or
 * any later process, load that key. The store holds the 32-byte private scalar and nothing else.
 *
 * Each `sign()` reads the key from the store, signs in this process (ECDSA over SHA-256 of the message,
 * low-S `r‖s`; on Node with OpenSSL through `node:crypto`, elsewhere with @noble/curves and an RFC 6979
 * nonce), and wipes the key's bytes with `fill(0)`; calls that overlap share one read. This protects the
 * key at rest, not in use: while it signs, the key is in this process's memory, and copies made by the
 * native addon, by the signing library and by the garbage collector cannot be wiped from JavaScript. For a key that never leaves hardware, use
 * `@kontist-auth/crypto-pkcs11`.
 *
 * The public key is computed once and kept; every load checks the stored key still matches it, so the
 * signer never signs with a key other than the one it reported. Concurrent calls in one process for the
 * same service and account share one load or creation, so they agree on one key. Nothing secret is a
 * property of the returned object: logging or `JSON.stringify` of it shows `service` and `account` only.
 *
 * @param options - where the key lives: {@link KeychainSignerOptions}.
 * @returns the signer, once its key has been loaded or created.
 * @throws {TypeError} when `service` or `account` is not a non-empty string.
 * @throws {KeychainUnavailableError} (`KEYCHAIN_UNAVAILABLE`) when no credential store is reachable
 *   (headless Linux without a Secret Service) or it refuses access (locked).
 * @throws {KeychainKeyCorruptError} (`KEYCHAIN_KEY_CORRUPT`) when something other than a key of this
 *   signer is stored under the service and account; it is not overwritten.
 * @throws {KeychainError} (`KEYCHAIN_FAILED`) for any other failure of the store.
 *
 * `sign()` rejects with the same errors, with {@link KeychainKeyDeletedError} (`KEYCHAIN_KEY_DELETED`)
 * once the key was deleted or replaced, and with `TypeError` when the message is not a `Uint8Array`.
 *
 * @example
 * import { createDeviceSignature, toDeviceKeyHex } from "@kontist-auth/crypto";
 * import { createKeychainSigner } from "@kontist-auth/crypto-keychain";
 *
 * const signer = await createKeychainSigner({ service: "com.example.banking", account: "device-key" });
 * const key = toDeviceKeyHex(await signer.getPublicKey()); // the same on every run
 * const signature = await createDeviceSignature(signer, "123456");
 * // on unbinding the device:
 * await signer.deleteKey();
 */
export async function createKeychainSigner(options: KeychainSignerOptions): Promise<KeychainSigner> {
  const location = readKeychainSignerOptions(options, "createKeychainSigner");
  const where = describeKeyLocation(location);
  const entry = openKeychainEntry(location);
  const publicKey = await loadOrCreateOnce(entry, location);
  let deleted = false;

  const withSecretKey = createSecretKeyLease(async () => {
    const stored = await entry.read();
    if (stored === null) {
      throw new KeychainKeyDeletedError(
        `No key is stored under ${where} any more: it was deleted elsewhere.`,
      );
    }
    const secretKey = decodeStoredSecretKey(stored, location);
    if (!equalBytes(publicKeyFromSecretKey(secretKey), publicKey)) {
      secretKey.fill(0);
      throw new KeychainKeyDeletedError(`The key stored under ${where} was replaced by a different key.`);
    }
    return secretKey;
  });

  function assertNotDeleted(): void {
    if (deleted) throw new KeychainKeyDeletedError(`The key of ${where} was deleted by deleteKey().`);
  }

  return Object.freeze({
    service: location.service,
    account: location.account,
    async getPublicKey(): Promise<Uint8Array> {
      assertNotDeleted();
      return Uint8Array.from(publicKey);
    },
    async sign(message: Uint8Array): Promise<Uint8Array> {
      assertSignMessage(message);
      assertNotDeleted();
      // The caller may reuse its array while the key is being read.
      const messageCopy = Uint8Array.from(message);
      return withSecretKey((secretKey) => signWithSecretKey(secretKey, messageCopy));
    },
    async deleteKey(): Promise<void> {
      await entry.remove();
      deleted = true;
    },
  });
}

/** Key loads and creations in flight in this process, by location, so concurrent first uses make one key. */
const inFlight = new Map<string, Promise<Uint8Array>>();

function loadOrCreateOnce(entry: KeychainEntry, location: KeychainSignerOptions): Promise<Uint8Array> {
  const id = JSON.stringify([location.service, location.account]);
  let publicKey = inFlight.get(id);
  if (publicKey === undefined) {
    publicKey = loadOrCreatePublicKey(entry, location).finally(() => inFlight.delete(id));
    inFlight.set(id, publicKey);
  }
  return publicKey.then((key) => Uint8Array.from(key));
}

/** Loads the stored key, or creates and stores one, and returns its public key; the secret is wiped. */
async function loadOrCreatePublicKey(entry: KeychainEntry, location: KeychainSignerOptions) {
  const stored = await entry.read();
  if (stored !== null) return publicKeyOf(decodeStoredSecretKey(stored, location));

  const secretKey = generateSecretKey();
  try {
    await entry.write(secretKey);
  } finally {
    secretKey.fill(0);
  }
  // Read back rather than trust our copy: when two processes create the same key at once, the last
  // write wins, and this signer uses the key that is actually stored (a signer that read before the last
  // write finds its key "replaced" on its first sign).
  const written = await entry.read();
  if (written === null) {
    throw new KeychainError(
      `The OS credential store accepted the new key of ${describeKeyLocation(location)} but does not return it.`,
    );
  }
  return publicKeyOf(decodeStoredSecretKey(written, location));
}

function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  try {
    return publicKeyFromSecretKey(secretKey);
  } finally {
    secretKey.fill(0);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
