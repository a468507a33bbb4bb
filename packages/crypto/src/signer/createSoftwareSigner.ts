import { generateSecretKey, importSecretKey, isValidSecretKey } from "#ecdsa";
import { isBytes } from "../encoding/isBytes";
import { InvalidSecretKeyError } from "../errors";
import { assertSignMessage } from "./assertSignMessage";
import type { P256Signer } from "./P256Signer";

/** Options of {@link createSoftwareSigner}. */
export interface SoftwareSignerOptions {
  /**
   * The P-256 private scalar, 32 bytes big-endian in `[1, n−1]`, e.g. from an earlier
   * {@link SoftwareSigner.exportSecretKey}. Copied, so later changes to the array do not affect the signer.
   * Default: a new random key from the platform's CSPRNG (`crypto.getRandomValues`).
   */
  secretKey?: Uint8Array;
}

/** A {@link P256Signer} whose key lives in memory and can be exported (to persist it yourself). */
export interface SoftwareSigner extends P256Signer {
  /** A copy of the 32-byte private scalar. Treat it like a password: store it encrypted, never log it. */
  exportSecretKey(): Uint8Array;
}

/**
 * Creates a P-256 signer over a key held in memory: node:crypto on Node (a random nonce per signature),
 * @noble/curves elsewhere (a deterministic RFC 6979 nonce). `sign` hashes the message with SHA-256 and
 * always returns low-S `r‖s` (64 bytes).
 *
 * The key stays in a closure: it is not a property of the returned object, so logging or
 * `JSON.stringify` of the signer never shows it. Prefer a non-extractable backend (WebCrypto, OS keychain,
 * PKCS#11) where the platform has one; this signer suits servers, scripts, tests and the sandbox.
 *
 * @param options - see {@link SoftwareSignerOptions}.
 * @throws {InvalidSecretKeyError} when `secretKey` is not 32 bytes or not in `[1, n−1]`.
 *
 * @example
 * const signer = createSoftwareSigner();
 * const key = toDeviceKeyHex(await signer.getPublicKey());
 * const signature = await createDeviceSignature(signer, "123456");
 * // later, with the key you stored:
 * const same = createSoftwareSigner({ secretKey: signer.exportSecretKey() });
 */
export function createSoftwareSigner(options: SoftwareSignerOptions = {}): SoftwareSigner {
  const secretKey = options.secretKey === undefined ? generateSecretKey() : copySecretKey(options.secretKey);
  const key = importSecretKey(secretKey);

  return Object.freeze({
    async getPublicKey(): Promise<Uint8Array> {
      return Uint8Array.from(key.publicKey);
    },
    async sign(message: Uint8Array): Promise<Uint8Array> {
      assertSignMessage(message);
      return key.sign(message);
    },
    exportSecretKey(): Uint8Array {
      return Uint8Array.from(secretKey);
    },
  });
}

function copySecretKey(secretKey: unknown): Uint8Array {
  if (!isBytes(secretKey)) throw new InvalidSecretKeyError("A P-256 secret key must be a Uint8Array.");
  if (secretKey.length !== 32) {
    throw new InvalidSecretKeyError(`A P-256 secret key must be 32 bytes, got ${secretKey.length} bytes.`);
  }
  const copy = Uint8Array.from(secretKey);
  if (!isValidSecretKey(copy)) {
    throw new InvalidSecretKeyError("A P-256 secret key must be an integer in [1, n−1] of the group order.");
  }
  return copy;
}
