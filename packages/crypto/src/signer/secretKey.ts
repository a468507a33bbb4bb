import { p256 } from "@noble/curves/nist.js";

// A P-256 secret key held in memory, with @noble/curves: what the software signer is, and what any
// backend that stores the 32-byte scalar (an OS keychain, a secrets manager) signs with, so that every
// such signer hashes, picks nonces and normalises alike.

/**
 * A new random P-256 secret key: 32 bytes, big-endian, in `[1, n−1]`, from the platform's CSPRNG
 * (`crypto.getRandomValues`). The caller owns the array (and wipes it with `fill(0)` when done).
 *
 * @example
 * const secretKey = generateSecretKey();
 */
export function generateSecretKey(): Uint8Array {
  return p256.utils.randomSecretKey();
}

/**
 * Tells whether `secretKey` is a P-256 secret key: a `Uint8Array` of 32 bytes whose big-endian value
 * lies in `[1, n−1]`. Never throws.
 *
 * @example
 * isValidSecretKey(generateSecretKey()); // true
 * isValidSecretKey(new Uint8Array(32)); // false: zero is not in [1, n−1]
 */
export function isValidSecretKey(secretKey: Uint8Array): boolean {
  try {
    return p256.utils.isValidSecretKey(secretKey);
  } catch {
    return false;
  }
}

/**
 * The public key of a P-256 secret key as the SEC1 uncompressed point `04‖X‖Y` (65 bytes), what
 * {@link P256Signer.getPublicKey} resolves to.
 *
 * @throws {Error} (from @noble/curves) when `secretKey` is not a valid secret key (see {@link isValidSecretKey}).
 *
 * @example
 * const secretKey = generateSecretKey();
 * const publicKey = publicKeyFromSecretKey(secretKey); // Uint8Array(65) [4, …]
 */
export function publicKeyFromSecretKey(secretKey: Uint8Array): Uint8Array {
  return p256.getPublicKey(secretKey, false);
}

/**
 * Signs `message` with a P-256 secret key as {@link P256Signer.sign} must: ECDSA over SHA-256 of the
 * message (the function hashes), a deterministic nonce (RFC 6979), and a low-S `r‖s` (64 bytes, IEEE
 * P1363). Neither argument is kept or changed. Check the message first with {@link assertSignMessage}.
 *
 * @throws {Error} (from @noble/curves) when `secretKey` is not a valid secret key or `message` is not bytes.
 *
 * @example
 * import { assertSignMessage } from "@kontist-auth/crypto/backend";
 *
 * // A signer over a secret key that some store keeps; `readSecretKey` resolves to a copy of it.
 * function createStoredKeySigner(readSecretKey: () => Promise<Uint8Array>): P256Signer {
 *   return {
 *     async getPublicKey() {
 *       const secretKey = await readSecretKey();
 *       try { return publicKeyFromSecretKey(secretKey); } finally { secretKey.fill(0); }
 *     },
 *     async sign(message) {
 *       assertSignMessage(message);
 *       const secretKey = await readSecretKey();
 *       try { return signWithSecretKey(secretKey, message); } finally { secretKey.fill(0); }
 *     },
 *   };
 * }
 */
export function signWithSecretKey(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return p256.sign(message, secretKey, { prehash: true, lowS: true, format: "compact" });
}
