import { p256 } from "@noble/curves/nist.js";
import type { EcdsaKey } from "./EcdsaKey";

// `#ecdsa` wherever the `node` condition does not apply (browsers, workers): @noble/curves, RFC 6979 nonces.
// ecdsa.node.ts has the same exports over node:crypto.

/**
 * `generateSecretKey()`: a new random secret key, 32 bytes in `[1, n−1]`, from `crypto.getRandomValues`.
 * `isValidSecretKey(secretKey)`: whether `secretKey` is 32 bytes whose big-endian value lies in `[1, n−1]`;
 * never throws. (@noble/curves' own, which need no `this`.)
 */
export const { randomSecretKey: generateSecretKey, isValidSecretKey } = p256.utils;

/** Prepares `secretKey` (a valid one: see {@link isValidSecretKey}) for signing. The array is kept, not copied. */
export function importSecretKey(secretKey: Uint8Array): EcdsaKey {
  return {
    publicKey: p256.getPublicKey(secretKey, false),
    sign: (message) => p256.sign(message, secretKey, { prehash: true, lowS: true, format: "compact" }),
  };
}

/**
 * Tells whether `rs` (64 bytes, `r‖s`) is an ECDSA signature over SHA-256 of `message` by `publicKey`
 * (65 bytes, `04‖X‖Y`). High-S signatures are accepted. May throw instead of returning `false` for
 * malformed input (the caller catches).
 */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, rs: Uint8Array): boolean {
  return p256.verify(rs, message, publicKey, { prehash: true, lowS: false, format: "compact" });
}
