import { randomUUID } from "node:crypto";
import { parseScope, paths } from "@kontist-auth/protocol";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { mfaChallengeView } from "./mfaChallengeView";

/**
 * `POST /api/user/mfa/challenges` (no body): starts a push-notification MFA challenge for the bearer's
 * user, to be answered on their phone (`PATCH …/{id}` with a confirmed token, or
 * `POST /sandbox/mfa/challenges/{id}/approve|deny`). Answers 201 `{ id, status: "PENDING", expiresAt }`;
 * it lives `mfaChallengeTtl` seconds.
 */
export function createMfaChallengeRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: paths.mfaChallenges,
    bearer: true,
    handler: (c) => {
      const bearer = c.get("accessToken");
      const id = randomUUID();
      const record = {
        id,
        userId: c.get("user").id,
        clientId: bearer.client_id,
        scopes: parseScope(bearer.scope),
        status: "PENDING" as const,
        expiresAt: runtime.now() + runtime.config.mfaChallengeTtl * 1000,
        deviceId: undefined,
        tokenIssued: false,
      };
      runtime.store.mfaChallenges.set(id, record);
      return c.json(mfaChallengeView(record), 201);
    },
  };
}
