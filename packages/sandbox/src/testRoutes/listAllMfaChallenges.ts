import { type SandboxMfaChallenge, sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { SandboxRoute } from "../http/SandboxRoute";
import { mfaChallengeView } from "../mfa/mfaChallengeView";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * `GET /sandbox/mfa/challenges`: every push MFA challenge of every user, whatever its state, oldest
 * first, `[{ id, userId, status, expiresAt }]`, so a test can find the challenge its client created.
 */
export function listAllMfaChallengesRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: sandboxPaths.mfaChallenges,
    counted: false,
    handler: (c) => {
      const challenges: SandboxMfaChallenge[] = [...runtime.store.mfaChallenges.values()].map((record) => ({
        ...mfaChallengeView(record),
        userId: record.userId,
      }));
      return c.json(challenges, 200);
    },
  };
}
