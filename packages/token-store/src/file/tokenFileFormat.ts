import { TokenStoreError } from "../errors";
import { normalizeStoredToken } from "../store/storedToken";
import { storedTokenFormat, storedTokenFormatVersion } from "../store/storedTokenCodec";
import type { StoredToken } from "../store/TokenStore";
import { openTokens, sealTokens, tokenFileCipher } from "./tokenFileEncryption";

/**
 * The tokens of a token file, by key.
 */
export type TokenMap = Map<string, StoredToken>;

// The header is authenticated with the ciphertext, so it cannot be swapped for another format or cipher.
const additionalData = new TextEncoder().encode(
  `${storedTokenFormat};${storedTokenFormatVersion};${tokenFileCipher}`,
);

/**
 * Serializes the tokens of a token file: plain
 * `{"format":"@kontist-auth/token-store","version":1,"tokens":{"<key>":{…}}}`, or with an encryption key
 * `{"format":…,"version":1,"cipher":"A256GCM","iv":"…","ciphertext":"…"}`, where the ciphertext is the
 * `tokens` object as JSON, encrypted with AES-256-GCM (fresh 12-byte IV per write, the header as
 * additional authenticated data).
 *
 * @example
 * import { randomBytes } from "node:crypto";
 * import { writeFileAtomically } from "./writeFileAtomically";
 *
 * const path = "/home/me/.config/my-app/tokens.json";
 * const key = randomBytes(32); // or undefined: a plain file
 * const tokens: TokenMap = new Map([["kontist-auth:my-client", { accessToken: "eyJ…", tokenType: "Bearer", scopes: [] }]]);
 * await writeFileAtomically(path, serializeTokenFile(tokens, key), 0o600);
 */
export function serializeTokenFile(tokens: TokenMap, key: Uint8Array | undefined): string {
  const header = { format: storedTokenFormat, version: storedTokenFormatVersion };
  const entries = Object.fromEntries(tokens);
  const document =
    key === undefined
      ? { ...header, tokens: entries }
      : { ...header, cipher: tokenFileCipher, ...sealTokens(JSON.stringify(entries), key, additionalData) };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Parses a token file's text into its tokens.
 *
 * @param path - for messages.
 * @throws {TokenStoreError} `TOKEN_STORE_CORRUPT` for anything but a token file of this format version
 *   (the message says what, never quotes the content); `TOKEN_STORE_DECRYPTION_FAILED` for an encrypted
 *   file without a key or with the wrong one, an altered one, or a plain file when a key is given.
 * @example
 * import { readFile } from "node:fs/promises";
 *
 * const path = "/home/me/.config/my-app/tokens.json";
 * const tokens = parseTokenFile(await readFile(path, "utf8"), undefined, path); // a plain file: no key
 */
export function parseTokenFile(text: string, key: Uint8Array | undefined, path: string): TokenMap {
  const document = parseJsonObject(text);
  if (document === undefined || document.format !== storedTokenFormat) {
    throw corrupt(path, "is not a @kontist-auth/token-store file (it may belong to another program)");
  }
  if (document.version !== storedTokenFormatVersion) {
    const version = typeof document.version === "number" ? ` ${document.version}` : "";
    throw corrupt(
      path,
      `has format version${version}, which this release of @kontist-auth/token-store cannot read`,
    );
  }
  let entries: unknown;
  if ("cipher" in document || "ciphertext" in document) {
    if (key === undefined) {
      throw decryptionFailed(path, "is encrypted; pass its encryptionKey to fileStore()");
    }
    const { cipher, iv, ciphertext } = document;
    if (cipher !== tokenFileCipher || typeof iv !== "string" || typeof ciphertext !== "string") {
      throw corrupt(path, "has an encryption header this release cannot read");
    }
    const plaintext = openTokens({ iv, ciphertext }, key, additionalData);
    if (plaintext === undefined) {
      throw decryptionFailed(
        path,
        "cannot be decrypted with this encryptionKey (a wrong key, or the file was altered)",
      );
    }
    entries = parseJsonObject(plaintext);
  } else {
    if (key !== undefined) {
      throw decryptionFailed(
        path,
        "is not encrypted, but an encryptionKey was given; refusing tokens anyone could have written (delete the file to start an encrypted one)",
      );
    }
    entries = document.tokens;
  }
  if (typeof entries !== "object" || entries === null || Array.isArray(entries)) {
    throw corrupt(path, "has no tokens object");
  }
  const tokens: TokenMap = new Map();
  for (const [name, value] of Object.entries(entries)) {
    const token = normalizeStoredToken(value);
    if (token === undefined) throw corrupt(path, "holds an entry that is not a token");
    tokens.set(name, token);
  }
  return tokens;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    // The parser's error quotes the text: never keep it.
    return undefined;
  }
}

function corrupt(path: string, what: string): TokenStoreError {
  return new TokenStoreError(
    "TOKEN_STORE_CORRUPT",
    `The token file ${path} ${what}. It was left untouched: move it away, or point fileStore at another path.`,
  );
}

function decryptionFailed(path: string, what: string): TokenStoreError {
  return new TokenStoreError("TOKEN_STORE_DECRYPTION_FAILED", `The token file ${path} ${what}.`);
}
