import { isValidSecretKey } from "@kontist-auth/crypto/backend";
import { KeychainKeyCorruptError } from "../errors";
import { describeKeyLocation, type KeychainSignerOptions } from "../KeychainSignerOptions";

/**
 * Checks that the bytes read from the credential store are a P-256 private key as this package stores it:
 * the 32-byte big-endian scalar, in `[1, n−1]`, nothing else. Returns `stored` itself when it is; wipes it
 * and throws otherwise.
 *
 * @throws {KeychainKeyCorruptError} naming what is wrong (length, range), never the value.
 */
export function decodeStoredSecretKey(stored: Uint8Array, location: KeychainSignerOptions): Uint8Array {
  const problem =
    stored.length !== 32
      ? `it is ${stored.length} bytes, a P-256 private key is 32`
      : isValidSecretKey(stored)
        ? undefined
        : "it is not an integer in [1, n−1] of the P-256 group order";
  if (problem === undefined) return stored;
  stored.fill(0);
  throw new KeychainKeyCorruptError(
    `The credential stored under ${describeKeyLocation(location)} is not a key of this signer: ${problem}. ` +
      "It is left as it is; remove it (deleteKeychainKey) or use another account.",
  );
}
