/**
 * Tells whether `value` looks like a WebCrypto `CryptoKeyPair`: a `privateKey` of type `"private"` and a
 * `publicKey` of type `"public"`. Duck-typed, so keys from another realm (an iframe, Node's
 * `webcrypto`) count too.
 */
export function isCryptoKeyPair(value: unknown): value is CryptoKeyPair {
  if (typeof value !== "object" || value === null) return false;
  const { privateKey, publicKey } = value as Partial<Record<keyof CryptoKeyPair, unknown>>;
  return isCryptoKey(privateKey, "private") && isCryptoKey(publicKey, "public");
}

function isCryptoKey(value: unknown, type: KeyType): value is CryptoKey {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === type;
}
