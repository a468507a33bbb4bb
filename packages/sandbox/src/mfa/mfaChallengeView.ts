import type { MfaChallenge } from "@kontist-auth/protocol";
import type { MfaChallengeRecord } from "../state/SandboxStore";

/** A push MFA challenge on the wire: `{ id, status, expiresAt }` (ISO 8601). */
export function mfaChallengeView(record: MfaChallengeRecord): MfaChallenge {
  return { id: record.id, status: record.status, expiresAt: new Date(record.expiresAt).toISOString() };
}
