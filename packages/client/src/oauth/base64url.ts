/**
 * Encodes bytes as base64 with padding (RFC 4648 §4), e.g. the credentials of HTTP Basic (RFC 7617).
 * Bytes, not text: `btoa` alone refuses characters beyond Latin-1; encode text as UTF-8 first.
 *
 * @example
 * base64(new TextEncoder().encode("ü")); // "w7w="
 */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5, as RFC 7636 Appendix A uses it).
 *
 * @example
 * base64url(new Uint8Array([251, 255])); // "-_8"
 */
export function base64url(bytes: Uint8Array): string {
  return base64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * `byteLength` bytes from the platform's CSPRNG (`crypto.getRandomValues`, WebCrypto), base64url-encoded.
 *
 * @throws {TypeError} when the platform has no WebCrypto (`globalThis.crypto.getRandomValues`); there is
 *   no fallback to a weaker generator.
 * @example
 * randomBase64url(32); // 43 characters
 */
export function randomBase64url(byteLength: number): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.getRandomValues !== "function") {
    throw new TypeError("No WebCrypto here: globalThis.crypto.getRandomValues is needed for random values.");
  }
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}
