import * as ecdsa from "#ecdsa";
import type { EcdsaKey } from "../ecdsa/EcdsaKey";
import { InvalidSecretKeyError } from "../errors";
import { assertSignMessage } from "./assertSignMessage";
import type { P256Signer } from "./P256Signer";

// A P-256 secret key held in memory: what the software signer is, and what any backend that stores the
// 32-byte scalar (an OS keychain, a secrets manager) signs with, so that every such signer hashes and
// normalises alike. The ECDSA itself is `#ecdsa`: node:crypto on Node, @noble/curves elsewhere.

/**
 * A new random P-256 secret key: 32 bytes, big-endian, in `[1, n−1]`, from the platform's CSPRNG
 * (`crypto.getRandomValues`). The caller owns the array (and wipes it with `fill(0)` when done).
 *
 * @example
 * const secretKey = generateSecretKey();
 */
export function generateSecretKey(): Uint8Array {
  return ecdsa.generateSecretKey();
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
  return ecdsa.isValidSecretKey(secretKey);
}

/**
 * The public key of a P-256 secret key as the SEC1 uncompressed point `04‖X‖Y` (65 bytes), what
 * {@link P256Signer.getPublicKey} resolves to.
 *
 * @throws {InvalidSecretKeyError} when `secretKey` is not a valid secret key (see {@link isValidSecretKey}).
 *
 * @example
 * const secretKey = generateSecretKey();
 * const publicKey = publicKeyFromSecretKey(secretKey); // Uint8Array(65) [4, …]
 */
export function publicKeyFromSecretKey(secretKey: Uint8Array): Uint8Array {
  return importCheckedSecretKey(secretKey).publicKey;
}

/**
 * Signs `message` with a P-256 secret key as {@link P256Signer.sign} must: ECDSA over SHA-256 of the
 * message (the function hashes) and a low-S `r‖s` (64 bytes, IEEE P1363). On Node it is node:crypto
 * (OpenSSL, a random nonce per signature), elsewhere @noble/curves (a deterministic RFC 6979 nonce).
 * Neither argument is kept or changed. Check the message first with {@link assertSignMessage}.
 *
 * @throws {InvalidSecretKeyError} when `secretKey` is not a valid secret key.
 * @throws {TypeError} when `message` is not a `Uint8Array`.
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
  assertSignMessage(message);
  return importCheckedSecretKey(secretKey).sign(message);
}

function importCheckedSecretKey(secretKey: Uint8Array): EcdsaKey {
  if (!ecdsa.isValidSecretKey(secretKey)) throw new InvalidSecretKeyError("Not a P-256 secret key.");
  return ecdsa.importSecretKey(secretKey);
}
