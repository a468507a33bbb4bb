import type { Token } from "../token/Token";

/**
 * Whether `token` is due for renewal: it expires within `refreshLeeway` ms, or within half its lifetime
 * when that is shorter (so a short-lived token is not renewed before every call).
 *
 * @example
 * const token = new Token({ accessToken: "at-1", expiresAt: new Date(Date.now() + 20_000) });
 * isDue(token, clientDefaults.refreshLeeway); // true: it expires within 30 s
 */
export function isDue(token: Token, refreshLeeway: number): boolean {
  const { expiresAt, issuedAt } = token;
  let leeway = refreshLeeway;
  if (expiresAt !== undefined && issuedAt !== undefined) {
    const lifetime = expiresAt.getTime() - issuedAt.getTime();
    if (lifetime > 0) leeway = Math.min(leeway, lifetime / 2);
  }
  return token.isExpired(leeway / 1000);
}
