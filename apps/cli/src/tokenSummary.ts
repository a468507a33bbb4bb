import type { Token } from "@kontist-auth/client";

/** What the CLI shows of a token: claims a person wants to see, never the token itself. */
export interface TokenSummary {
  /** The user id (`sub`). */
  user: string | undefined;
  scopes: readonly string[];
  /** ISO 8601, or `null` when the token does not say. */
  expiresAt: string | null;
  /** Whether MFA confirmed it (a `cnf` claim). */
  confirmed: boolean;
  /**
   * The confirmation's key id (`cnf.kid`): the device's id when a device challenge confirmed it; what
   * Kontist puts there after a push confirmation is not documented, so it is shown as the claim it is.
   */
  confirmedBy: string | undefined;
  /** Whether a refresh token came with it. */
  refreshable: boolean;
}

/** Summarises a token for output; reads claims for display only (they are never trusted). */
export function summarizeToken(token: Token): TokenSummary {
  const claims = token.claims ?? {};
  const cnf = claims.cnf;
  const kid = typeof cnf === "object" && cnf !== null && "kid" in cnf ? String(cnf.kid) : undefined;
  return {
    user: typeof claims.sub === "string" ? claims.sub : undefined,
    scopes: token.scopes,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    confirmed: token.confirmed,
    confirmedBy: kid,
    refreshable: token.refreshToken !== undefined,
  };
}

/** The summary as lines of `name: value`, for people. */
export function describeToken(summary: TokenSummary, now = Date.now()): string[] {
  const expiry =
    summary.expiresAt === null
      ? "unknown"
      : `${summary.expiresAt} (${relative(Date.parse(summary.expiresAt) - now)})`;
  return [
    `User:       ${summary.user ?? "unknown"}`,
    `Scopes:     ${summary.scopes.join(" ") || "none"}`,
    `Expires:    ${expiry}`,
    `Confirmed:  ${summary.confirmed ? `yes${summary.confirmedBy ? ` (cnf.kid ${summary.confirmedBy})` : ""}` : "no"}`,
    `Refresh:    ${summary.refreshable ? "yes" : "no"}`,
  ];
}

function relative(milliseconds: number): string {
  const minutes = Math.round(Math.abs(milliseconds) / 60_000);
  const span = minutes >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
  return milliseconds >= 0 ? `in ${span}` : `${span} ago`;
}
