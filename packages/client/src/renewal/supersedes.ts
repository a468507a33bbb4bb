import type { Token } from "../token/Token";

/**
 * Whether `candidate`, a token found in the token store, should replace `current`, the one the client
 * holds, when a renewal runs: only a better token of the same user. It must be another token for the same
 * `sub` (both unknown counts as the same, for opaque tokens); a confirmed token beats an unconfirmed one
 * (a device or push confirmation elsewhere), an unconfirmed one never replaces a confirmed one; between
 * two of the same kind, the later expiry wins. With no current token, any stored token does. Claims are
 * read unverified: this orders tokens the client already trusts the store with, it decides no access.
 *
 * @example
 * const current = new Token({ accessToken: "at-1", expiresAt: new Date(Date.now() + 60_000) });
 * const stored = new Token({ accessToken: "at-2", expiresAt: new Date(Date.now() + 3_600_000) });
 * supersedes(stored, current); // true: the same (unknown) user, expiring later
 */
export function supersedes(candidate: Token, current: Token | null): boolean {
  if (current === null) return true;
  if (candidate.accessToken === current.accessToken) return false;
  if (candidate.claims?.sub !== current.claims?.sub) return false;
  if (candidate.confirmed !== current.confirmed) return candidate.confirmed;
  const expiry = (token: Token) => token.expiresAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return expiry(candidate) > expiry(current);
}
