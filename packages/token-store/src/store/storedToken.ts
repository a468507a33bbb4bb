import type { StoredToken } from "./TokenStore";

/**
 * A clean copy of `value` when it is a {@link StoredToken} (only its known fields, `scopes` copied), else
 * `undefined`. Stores use it on what they read (a file, Web Storage, Redis) and on what they are given.
 *
 * @example
 * const text = '{"accessToken":"eyJ…","tokenType":"Bearer","scopes":["users"],"other":1}';
 * const token = normalizeStoredToken(JSON.parse(text)); // without `other`
 * if (token === undefined) throw new TokenStoreError("TOKEN_STORE_CORRUPT", "The stored value is not a token.");
 */
export function normalizeStoredToken(value: unknown): StoredToken | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { accessToken, refreshToken, tokenType, expiresAt, scopes } = value as Record<string, unknown>;
  if (typeof accessToken !== "string" || accessToken === "") return undefined;
  if (refreshToken !== undefined && typeof refreshToken !== "string") return undefined;
  if (typeof tokenType !== "string" || tokenType === "") return undefined;
  if (expiresAt !== undefined && (typeof expiresAt !== "number" || !Number.isFinite(expiresAt))) {
    return undefined;
  }
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === "string")) return undefined;
  const token: StoredToken = { accessToken, tokenType, scopes: [...scopes] };
  if (refreshToken !== undefined) token.refreshToken = refreshToken;
  if (expiresAt !== undefined) token.expiresAt = expiresAt;
  return token;
}

/**
 * Tells whether `value` is a {@link StoredToken}: a non-empty `accessToken` and `tokenType`, `scopes` an
 * array of strings, and `refreshToken` (a string) and `expiresAt` (a finite number) when present.
 *
 * @example
 * const value: unknown = JSON.parse('{"accessToken":"eyJ…"}');
 * if (!isStoredToken(value)) throw new TypeError("not a token"); // thrown: no tokenType, no scopes
 */
export function isStoredToken(value: unknown): value is StoredToken {
  return normalizeStoredToken(value) !== undefined;
}

/**
 * Checks the arguments of a store's `set`, and returns the clean copy to keep.
 *
 * @throws {TypeError} when `key` is empty or `token` is not a {@link StoredToken} (the message never
 *   quotes the token).
 * @example
 * const tokens = new Map<string, StoredToken>();
 * async function set(key: string, token: StoredToken): Promise<void> {
 *   tokens.set(key, checkedStoredToken(key, token)); // a TypeError for an empty key or a non-token
 * }
 */
export function checkedStoredToken(key: string, token: StoredToken): StoredToken {
  checkKey(key);
  const copy = normalizeStoredToken(token);
  if (copy === undefined) {
    throw new TypeError(
      "set: token must be a StoredToken (accessToken, tokenType, scopes; refreshToken and expiresAt optional).",
    );
  }
  return copy;
}

/**
 * Checks a store key.
 *
 * @throws {TypeError} when `key` is not a non-empty string.
 * @example
 * checkKey("kontist-auth:my-client"); // passes; checkKey("") throws a TypeError
 */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key === "")
    throw new TypeError("TokenStore: key must be a non-empty string.");
}
