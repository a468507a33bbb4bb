/** The OAuth2 scopes Kontist documents; `scope` on the wire is a space-separated list of them. */
export const scopes = [
  "accounts",
  "clients",
  "offline",
  "statements",
  "subscriptions",
  "transactions",
  "transfers",
  "users",
] as const;

/** One OAuth2 scope of the Kontist API. */
export type Scope = (typeof scopes)[number];

/** Joins scopes for the wire (`scope=a b c`), dropping duplicates and keeping their order. */
export function formatScope(list: readonly string[]): string {
  return [...new Set(list)].join(" ");
}

/** Splits a wire `scope` value into its scopes; an absent or empty value gives `[]`. */
export function parseScope(scope: string | undefined): string[] {
  return scope === undefined ? [] : scope.split(" ").filter((item) => item !== "");
}
