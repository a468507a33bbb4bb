import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { p256Curve } from "../curve/p256Curve";
import { bytesToBigInt } from "../encoding/bigEndianInteger";
import { isBytes } from "../encoding/isBytes";
import { normalizeLowS } from "../encoding/normalizeLowS";
import type { EcdsaKey } from "./EcdsaKey";

// `#ecdsa` on Node: node:crypto (OpenSSL), many times faster than @noble/curves. OpenSSL picks a random
// nonce per signature. ecdsa.noble.ts has the same exports for every other runtime.

/** PKCS#8 `PrivateKeyInfo` of a P-256 key up to its 32-byte scalar (RFC 5208, RFC 5915, no public key). */
const pkcs8Prefix = Buffer.from(
  "3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420",
  "hex",
);
/** `SubjectPublicKeyInfo` of a P-256 key up to its 65-byte uncompressed point (RFC 5480). */
const spkiPrefix = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");

/**
 * Public keys imported lately, by their 65 bytes: an OpenSSL key import costs about as much as a
 * verification, and a server verifies one device's key again and again. The oldest goes first when full.
 */
const publicKeyObjects = new Map<string, KeyObject>();
const maxPublicKeyObjects = 512;

/** A new random secret key: 32 bytes in `[1, n−1]`, from `crypto.getRandomValues`. */
export function generateSecretKey(): Uint8Array {
  const secretKey = new Uint8Array(32);
  // Rejection sampling: a draw falls outside [1, n−1] with probability below 2^-32.
  do crypto.getRandomValues(secretKey);
  while (!isValidSecretKey(secretKey));
  return secretKey;
}

/** Tells whether `secretKey` is 32 bytes whose big-endian value lies in `[1, n−1]`. Never throws. */
export function isValidSecretKey(secretKey: Uint8Array): boolean {
  if (!isBytes(secretKey) || secretKey.length !== 32) return false;
  const value = bytesToBigInt(secretKey);
  return value > 0n && value < p256Curve.n;
}

/**
 * Prepares `secretKey` (a valid one: see {@link isValidSecretKey}) for signing: imports it into OpenSSL
 * once and derives the public key. The array is neither kept nor modified.
 */
export function importSecretKey(secretKey: Uint8Array): EcdsaKey {
  const key = createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, secretKey]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  const publicKey = new Uint8Array(spki.subarray(spkiPrefix.length));
  return {
    publicKey,
    sign: (message) => normalizeLowS(sign("sha256", message, { key, dsaEncoding: "ieee-p1363" })),
  };
}

/**
 * Tells whether `rs` (64 bytes, `r‖s`) is an ECDSA signature over SHA-256 of `message` by `publicKey`
 * (65 bytes, `04‖X‖Y`). High-S signatures are accepted. May throw instead of returning `false` for
 * malformed input (the caller catches).
 */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, rs: Uint8Array): boolean {
  return verify("sha256", message, { key: publicKeyObject(publicKey), dsaEncoding: "ieee-p1363" }, rs);
}

/** `publicKey` (65 bytes, `04‖X‖Y`) imported into OpenSSL, which checks that it is on the curve. */
function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const bytes = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength);
  const id = bytes.toString("base64");
  let key = publicKeyObjects.get(id);
  if (key === undefined) {
    if (bytes.length !== 65 || bytes[0] !== 4) throw new Error("not an uncompressed P-256 point");
    const x = bytes.subarray(1, 33).toString("base64url");
    const y = bytes.subarray(33).toString("base64url");
    key = createPublicKey({ key: { kty: "EC", crv: "P-256", x, y }, format: "jwk" });
    if (publicKeyObjects.size >= maxPublicKeyObjects) {
      publicKeyObjects.delete(publicKeyObjects.keys().next().value as string);
    }
    publicKeyObjects.set(id, key);
  }
  return key;
}
