import { assertUncompressedP256Point } from "../curve/assertUncompressedP256Point";
import { InvalidKeyPairError, WebCryptoUnavailableError } from "../errors";
import { assertSignMessage } from "./assertSignMessage";
import { isCryptoKeyPair } from "./isCryptoKeyPair";
import type { P256Signer } from "./P256Signer";

// No @noble import anywhere in this module's graph: an app that signs only with WebCrypto must not bundle
// @noble/curves (packages/tests checks the bundle).

/** The WebCrypto algorithm of a device key: ECDSA on P-256 (W3C Web Cryptography API §23). */
const keyAlgorithm = { name: "ECDSA", namedCurve: "P-256" } as const;
/** Signing parameters: ECDSA with SHA-256, which WebCrypto answers with raw r‖s (IEEE P1363). */
const signAlgorithm = { name: "ECDSA", hash: "SHA-256" } as const;

/** Options of {@link createWebCryptoSigner}. */
export interface WebCryptoSignerOptions {
  /**
   * An existing ECDSA P-256 key pair, e.g. one loaded with {@link loadKeyPair}. Its private key must allow
   * `sign`; its public key must be exportable in `raw` format (WebCrypto always makes generated public keys
   * extractable). Default: a new key pair whose private key is non-extractable.
   */
  keyPair?: CryptoKeyPair;
  /**
   * The WebCrypto implementation to use. Default: `globalThis.crypto` (browsers in a secure context,
   * Node ≥ 20, Deno, Bun, workers).
   */
  crypto?: Pick<Crypto, "subtle">;
}

/** A {@link P256Signer} over a WebCrypto key pair. */
export interface WebCryptoSigner extends P256Signer {
  /**
   * The key pair the signer uses. Persist it as it is (e.g. {@link saveKeyPair}: IndexedDB stores
   * non-extractable keys by structured clone); the private key's bytes can never be read out.
   */
  readonly keyPair: CryptoKeyPair;
}

/**
 * Creates a P-256 signer over a WebCrypto key: by default a new key pair whose private key is
 * non-extractable (`crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign",
 * "verify"])`), so page scripts, extensions and XSS can use it but never copy it. `sign` calls
 * `crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, …)` and returns its raw `r‖s` (64 bytes, high-S
 * possible; {@link createDeviceSignature} makes it low-S DER like every other backend). Works in browsers
 * and in Node's WebCrypto, without @noble/curves.
 *
 * The key lives only in memory (or wherever the `CryptoKey` objects are kept): persist `signer.keyPair`
 * with {@link saveKeyPair} to bind a device once and sign with it across page loads.
 *
 * @param options - see {@link WebCryptoSignerOptions}.
 * @returns a frozen signer, with the raw public key already read (so `getPublicKey` never fails).
 * @throws {WebCryptoUnavailableError} when there is no `crypto.subtle` (e.g. a page not in a secure context).
 * @throws {InvalidKeyPairError} when `keyPair` is not an ECDSA P-256 pair whose private key may sign and
 *   whose public key exports as a raw point on the curve, or when its two keys do not belong together.
 *
 * @example
 * const signer = await createWebCryptoSigner();
 * const otp = async () => prompt("The code we sent you by SMS:") ?? "";
 * const { deviceId } = await client.auth.device.bind({ signer, name: "Browser", otp });
 * await saveKeyPair("device", signer.keyPair); // and next time:
 * const keyPair = await loadKeyPair("device"); // undefined once deleted
 * if (keyPair) await client.auth.device.confirm({ signer: await createWebCryptoSigner({ keyPair }), deviceId });
 */
export async function createWebCryptoSigner(options: WebCryptoSignerOptions = {}): Promise<WebCryptoSigner> {
  const subtle = subtleCrypto(options.crypto);
  const keyPair =
    options.keyPair === undefined
      ? ((await subtle.generateKey(keyAlgorithm, false, ["sign", "verify"])) as CryptoKeyPair)
      : await checkedKeyPair(subtle, options.keyPair);
  const publicKey = await rawPublicKey(subtle, keyPair.publicKey);
  const { privateKey } = keyPair;

  return Object.freeze({
    keyPair: Object.freeze({ privateKey, publicKey: keyPair.publicKey }),
    async getPublicKey(): Promise<Uint8Array> {
      return Uint8Array.from(publicKey);
    },
    async sign(message: Uint8Array): Promise<Uint8Array> {
      assertSignMessage(message);
      // A copy: typed Uint8Array<ArrayBuffer> as TypeScript ≥ 5.7 wants a BufferSource, never a view's
      // whole buffer, and the caller's array stays untouched even while WebCrypto works asynchronously.
      return new Uint8Array(await subtle.sign(signAlgorithm, privateKey, new Uint8Array(message)));
    },
  });
}

function subtleCrypto(given: Pick<Crypto, "subtle"> | undefined): SubtleCrypto {
  const subtle = (given ?? (globalThis as { crypto?: Partial<Crypto> }).crypto)?.subtle;
  if (subtle === undefined || subtle === null) {
    throw new WebCryptoUnavailableError(
      "WebCrypto (crypto.subtle) is not available here. Browsers expose it only in secure contexts " +
        "(https:// or http://localhost); Node has it from version 20.",
    );
  }
  return subtle;
}

function isP256Ecdsa(key: CryptoKey): boolean {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm>;
  return algorithm.name === keyAlgorithm.name && algorithm.namedCurve === keyAlgorithm.namedCurve;
}

/** Checks a caller's key pair: ECDSA P-256, a private key that signs, and two halves of one key. */
async function checkedKeyPair(subtle: SubtleCrypto, keyPair: unknown): Promise<CryptoKeyPair> {
  if (!isCryptoKeyPair(keyPair)) {
    throw new InvalidKeyPairError(
      "keyPair must be a CryptoKeyPair: a private CryptoKey as privateKey and a public one as publicKey.",
    );
  }
  const { privateKey, publicKey } = keyPair;
  if (!isP256Ecdsa(privateKey) || !isP256Ecdsa(publicKey)) {
    throw new InvalidKeyPairError(
      'keyPair must be an ECDSA key pair on P-256 ({ name: "ECDSA", namedCurve: "P-256" }).',
    );
  }
  if (!privateKey.usages.includes("sign")) {
    throw new InvalidKeyPairError('keyPair.privateKey must allow the "sign" usage.');
  }
  if (publicKey.usages.includes("verify")) {
    // A pair assembled from two different keys would bind a device it can never sign for.
    const probe = new TextEncoder().encode("@kontist-auth/crypto key pair check");
    const signature = await subtle.sign(signAlgorithm, privateKey, probe);
    if (!(await subtle.verify(signAlgorithm, publicKey, signature, probe))) {
      throw new InvalidKeyPairError(
        "keyPair.privateKey and keyPair.publicKey are not halves of one key pair.",
      );
    }
  }
  return { privateKey, publicKey };
}

/** The public key as a SEC1 uncompressed point 04‖X‖Y: WebCrypto's "raw" export of an EC public key. */
async function rawPublicKey(subtle: SubtleCrypto, publicKey: CryptoKey): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(await subtle.exportKey("raw", publicKey));
  } catch (cause) {
    throw new InvalidKeyPairError(
      'keyPair.publicKey cannot be exported in "raw" format (is it extractable?).',
      {
        cause,
      },
    );
  }
  try {
    assertUncompressedP256Point(raw);
  } catch (cause) {
    throw new InvalidKeyPairError("keyPair.publicKey does not export as an uncompressed P-256 point.", {
      cause,
    });
  }
  return raw;
}
