import { randomUUID } from "node:crypto";
import { hashToken } from "../security/hashToken";
import { randomToken } from "../security/randomToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { ClientRecord } from "../state/SandboxStore";

/**
 * Whether a token for `scopes` comes with a refresh token: only with the `offline` scope, and only for a
 * client allowed the `refresh_token` grant.
 */
export function mayIssueRefreshToken(client: ClientRecord, scopes: readonly string[]): boolean {
  return scopes.includes("offline") && client.grants.includes("refresh_token");
}

/**
 * Issues an opaque refresh token, stored server-side (by its hash) with its user, client, scopes, sign-in
 * session, confirming device and expiry.
 *
 * @param familyId - the family of a rotated token; a new family otherwise.
 */
export function issueRefreshToken(
  runtime: SandboxRuntime,
  grant: {
    userId: string;
    clientId: string;
    scopes: readonly string[];
    sessionId: string;
    deviceId?: string | undefined;
  },
  familyId: string = randomUUID(),
): string {
  const token = randomToken();
  runtime.store.refreshTokens.set(hashToken(token), {
    userId: grant.userId,
    clientId: grant.clientId,
    scopes: [...grant.scopes],
    sessionId: grant.sessionId,
    deviceId: grant.deviceId,
    expiresAt: runtime.now() + runtime.config.refreshTokenTtl * 1000,
    familyId,
    revoked: false,
  });
  return token;
}
