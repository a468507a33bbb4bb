import { normalizeStoredToken, type StoredToken, TokenStoreError } from "@kontist-auth/token-store";

/**
 * The envelope every store of `@kontist-auth/token-store` writes (a token file, a Web Storage item), so a
 * value is recognised as a token store's whatever store wrote it, and a foreign value under the same key
 * is never taken for (or overwritten as) a token. Readers refuse versions they do not know.
 */
export const storedTokenFormat = "@kontist-auth/token-store";
export const storedTokenVersion = 1;

/** The JSON written to Redis for `token` (already checked by the caller). */
export function encodeStoredToken(token: StoredToken): string {
  return JSON.stringify({ format: storedTokenFormat, version: storedTokenVersion, token });
}

/**
 * Reads back what {@link encodeStoredToken} wrote.
 *
 * @throws {TokenStoreError} `TOKEN_STORE_CORRUPT` when `text` is not such a record; the message says what
 *   is wrong, never the value.
 */
export function decodeStoredToken(text: string): StoredToken {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw corrupt("it is not JSON");
  }
  const { format, version, token } = (typeof record === "object" && record !== null ? record : {}) as Record<
    string,
    unknown
  >;
  if (format !== storedTokenFormat)
    throw corrupt(`it is not a ${storedTokenFormat} record (another program's value?)`);
  if (version !== storedTokenVersion) {
    throw corrupt(`its version is not ${storedTokenVersion} (written by a newer release?)`);
  }
  const stored = normalizeStoredToken(token);
  if (stored === undefined) throw corrupt("its `token` is not a StoredToken");
  return stored;
}

function corrupt(reason: string): TokenStoreError {
  return new TokenStoreError(
    "TOKEN_STORE_CORRUPT",
    `The value in Redis is not a stored token: ${reason}. Delete the key or use another prefix.`,
  );
}
