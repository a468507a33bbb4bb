import { randomUUID } from "node:crypto";
import { parseScope, paths } from "@kontist-auth/protocol";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { MfaChallengeRecord } from "../state/SandboxStore";
import { mfaChallengeView } from "./mfaChallengeView";

/**
 * Starts a push-notification MFA challenge for a user: a PENDING record that lives `mfaChallengeTtl`
 * seconds, answered on the user's phone (`PATCH /api/user/mfa/challenges/{id}` with a confirmed token,
 * or `POST /sandbox/mfa/challenges/{id}/approve|deny`). Its confirmed token gets `grant`'s client and
 * scopes, and goes only to a token of `grant.sessionId` and that client (see `MfaChallengeRecord`). Used by
 * `POST /api/user/mfa/challenges` (the bearer's session) and by the login page's MFA step (no session:
 * only that login continues it).
 *
 * @example
 * import { parseScope } from "@kontist-auth/protocol";
 * import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // A push challenge for the bearer's user, client, scopes and sign-in session.
 * function challengeFor(runtime: SandboxRuntime, bearer: AccessTokenClaims) {
 *   const challenge = createMfaChallenge(runtime, {
 *     userId: bearer.sub,
 *     clientId: bearer.client_id,
 *     scopes: parseScope(bearer.scope),
 *     sessionId: bearer.sid,
 *   });
 *   return challenge.id; // status "PENDING" until the phone answers
 * }
 */
export function createMfaChallenge(
  runtime: SandboxRuntime,
  grant: { userId: string; clientId: string; scopes: readonly string[]; sessionId: string | undefined },
): MfaChallengeRecord {
  const record: MfaChallengeRecord = {
    id: randomUUID(),
    userId: grant.userId,
    clientId: grant.clientId,
    scopes: [...grant.scopes],
    sessionId: grant.sessionId,
    status: "PENDING",
    expiresAt: runtime.now() + runtime.config.mfaChallengeTtl * 1000,
    deviceId: undefined,
    tokenIssued: false,
  };
  runtime.store.mfaChallenges.set(record.id, record);
  return record;
}

/**
 * `POST /api/user/mfa/challenges` (no body): starts a push-notification MFA challenge
 * ({@link createMfaChallenge}) for the bearer's user, client, scopes and sign-in session. Answers 201
 * `{ id, status: "PENDING", expiresAt }`.
 */
export function createMfaChallengeRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: paths.mfaChallenges,
    bearer: true,
    handler: (c) => {
      const bearer = c.get("accessToken");
      const record = createMfaChallenge(runtime, {
        userId: c.get("user").id,
        clientId: bearer.client_id,
        scopes: parseScope(bearer.scope),
        sessionId: bearer.sid,
      });
      return c.json(mfaChallengeView(record), 201);
    },
  };
}
