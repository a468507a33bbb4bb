import type { SandboxStore } from "../state/SandboxStore";

/**
 * Revokes every refresh token of a family: the tokens rotated from one another, or issued from one
 * authorization code (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
 */
export function revokeRefreshTokenFamily(store: SandboxStore, familyId: string): void {
  for (const record of store.refreshTokens.values()) if (record.familyId === familyId) record.revoked = true;
}
