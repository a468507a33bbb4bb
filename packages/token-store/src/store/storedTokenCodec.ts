import { TokenStoreError } from "../errors";
import { normalizeStoredToken } from "./storedToken";
import type { StoredToken } from "./TokenStore";

/**
 * The `format` marker of everything the stores of `@kontist-auth/token-store` and
 * `@kontist-auth/token-store-redis` write (a token file, a Web Storage item, a Redis value), so a value is
 * recognised as a token store's whatever store wrote it, and a foreign value under the same name is never
 * taken for (or overwritten as) a token.
 */
export const storedTokenFormat = "@kontist-auth/token-store";

/** The version of that serialization; readers refuse any other. */
export const storedTokenFormatVersion = 1;

/**
 * The text a store keeps for one token: `{"format":"@kontist-auth/token-store","version":1,"token":{…}}`.
 * Web Storage and Redis store exactly this; {@link decodeStoredToken} reads it back. `token` is written as
 * given: check it first (`checkedStoredToken`).
 *
 * @example
 * import { checkedStoredToken } from "@kontist-auth/token-store/backend";
 *
 * const token: StoredToken = { accessToken: "eyJ…", tokenType: "Bearer", scopes: ["users"] };
 * localStorage.setItem("my-app:token", encodeStoredToken(checkedStoredToken("my-app:token", token)));
 */
export function encodeStoredToken(token: StoredToken): string {
  return JSON.stringify({ format: storedTokenFormat, version: storedTokenFormatVersion, token });
}

/**
 * Reads back what {@link encodeStoredToken} wrote: a clean copy of its token.
 *
 * @param text - the stored text.
 * @param where - what held `text`, for the message ("value in Redis", "Web Storage item of this key").
 * @throws {TokenStoreError} `TOKEN_STORE_CORRUPT` when `text` is not JSON, not such a record, of another
 *   version, or its `token` is not a `StoredToken`; the message says which, never quotes the value, and
 *   the error has no `cause` (a parser's error would quote it).
 * @example
 * const text = localStorage.getItem("my-app:token");
 * const token = text === null ? undefined : decodeStoredToken(text, "Web Storage item of this key");
 */
export function decodeStoredToken(text: string, where: string): StoredToken {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    // The parser's error quotes the text: never keep it.
    throw corrupt(where, "it is not JSON");
  }
  const { format, version, token } = (typeof record === "object" && record !== null ? record : {}) as Record<
    string,
    unknown
  >;
  if (format !== storedTokenFormat) {
    throw corrupt(where, `it is not a ${storedTokenFormat} record (another program's value?)`);
  }
  if (version !== storedTokenFormatVersion) {
    throw corrupt(where, `its version is not ${storedTokenFormatVersion} (written by a newer release?)`);
  }
  const stored = normalizeStoredToken(token);
  if (stored === undefined) throw corrupt(where, "its `token` is not a StoredToken");
  return stored;
}

function corrupt(where: string, reason: string): TokenStoreError {
  return new TokenStoreError(
    "TOKEN_STORE_CORRUPT",
    `The ${where} is not a stored token: ${reason}. Delete it or use another prefix.`,
  );
}
