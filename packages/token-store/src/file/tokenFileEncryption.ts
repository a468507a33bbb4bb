import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** The only cipher of encrypted token files: AES-256-GCM (NIST SP 800-38D), 12-byte IV, 16-byte tag. */
export const tokenFileCipher = "A256GCM";

/** An encrypted payload: the IV and the ciphertext with its tag appended (as WebCrypto returns it), base64url. */
export interface SealedTokens {
  iv: string;
  ciphertext: string;
}

/**
 * Checks and copies an encryption key.
 *
 * @throws {TypeError} when `key` is not 32 bytes (the message never shows the key).
 * @example
 * import { randomBytes } from "node:crypto";
 *
 * const key = checkedEncryptionKey(randomBytes(32)); // a copy; a 16-byte key is a TypeError
 */
export function checkedEncryptionKey(key: unknown): Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TypeError("fileStore: encryptionKey must be a Uint8Array of 32 bytes (AES-256).");
  }
  return new Uint8Array(key);
}

/**
 * Encrypts `plaintext` with AES-256-GCM under a fresh random 12-byte IV, authenticating `aad` with it.
 *
 * @example
 * import { randomBytes } from "node:crypto";
 *
 * const key = randomBytes(32);
 * const aad = new TextEncoder().encode("@kontist-auth/token-store;1;A256GCM"); // the file's header
 * const tokens = { "kontist-auth:my-client": { accessToken: "eyJ…", tokenType: "Bearer", scopes: ["users"] } };
 * const sealed = sealTokens(JSON.stringify(tokens), key, aad); // { iv, ciphertext }
 */
export function sealTokens(plaintext: string, key: Uint8Array, aad: Uint8Array): SealedTokens {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString("base64url"), ciphertext: ciphertext.toString("base64url") };
}

/**
 * Decrypts what {@link sealTokens} made.
 *
 * @returns the plaintext, or `undefined` when the key is wrong or anything was altered (never throws,
 *   so no error of the cipher, nor the key, can leak).
 * @example
 * import { randomBytes } from "node:crypto";
 *
 * const key = randomBytes(32);
 * const aad = new TextEncoder().encode("@kontist-auth/token-store;1;A256GCM");
 * const sealed = sealTokens("{}", key, aad);
 * const plaintext = openTokens(sealed, key, aad); // "{}"
 * openTokens(sealed, randomBytes(32), aad); // undefined: another key
 */
export function openTokens(sealed: SealedTokens, key: Uint8Array, aad: Uint8Array): string | undefined {
  try {
    const iv = Buffer.from(sealed.iv, "base64url");
    const data = Buffer.from(sealed.ciphertext, "base64url");
    if (iv.length !== 12 || data.length < 16) return undefined;
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return undefined;
  }
}
