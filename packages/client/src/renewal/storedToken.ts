import type { StoredToken } from "@kontist-auth/token-store";
import { Token } from "../token/Token";

/**
 * The plain data a token store keeps of a {@link Token}: `confirmed` and the claims are not stored, they
 * are read from the access token again.
 *
 * @example
 * import { memoryStore } from "@kontist-auth/token-store";
 * await memoryStore().set("kontist-auth:my-client", toStoredToken(new Token({ accessToken: "at-1" })));
 */
export function toStoredToken(token: Token): StoredToken {
  const stored: StoredToken = {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    scopes: [...token.scopes],
  };
  if (token.refreshToken !== undefined) stored.refreshToken = token.refreshToken;
  if (token.expiresAt !== undefined) stored.expiresAt = token.expiresAt.getTime();
  return stored;
}

/**
 * The {@link Token} a token store kept.
 *
 * @throws {TypeError} when `stored.accessToken` is empty (stores never return that).
 * @example
 * const token = fromStoredToken({ accessToken: "at-1", tokenType: "Bearer", scopes: ["users"] });
 */
export function fromStoredToken(stored: StoredToken): Token {
  return new Token({
    accessToken: stored.accessToken,
    refreshToken: stored.refreshToken,
    tokenType: stored.tokenType,
    expiresAt: stored.expiresAt === undefined ? undefined : new Date(stored.expiresAt),
    scopes: stored.scopes,
  });
}
