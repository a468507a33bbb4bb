import type { StoredToken } from "../store/TokenStore";

let serial = 0;

/**
 * A fresh key per use, so stores shared between tests and runs never see each other's data.
 *
 * @example
 * const key = freshKey("overwrite"); // "contract:overwrite:<time>:<serial>:<random>"
 */
export function freshKey(label: string): string {
  serial += 1;
  return `contract:${label}:${Date.now().toString(36)}:${serial}:${Math.random().toString(36).slice(2)}`;
}

/**
 * A token like the client stores: every field set; `n` makes the tokens differ (its refresh token is
 * `refresh-<n>`).
 *
 * @example
 * await store.set("kontist-auth:my-client", sampleStoredToken(2)); // refresh token "refresh-2"
 */
export function sampleStoredToken(n = 1): StoredToken {
  return {
    accessToken: `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.sig-${n}`,
    refreshToken: `refresh-${n}`,
    tokenType: "Bearer",
    expiresAt: 1_900_000_000_000 + n,
    scopes: ["users", "offline"],
  };
}
