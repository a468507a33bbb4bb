import { type MfaChallenge, paths } from "@kontist-auth/protocol";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { mfaChallengeView } from "./mfaChallengeView";

/**
 * `GET /api/user/mfa/challenges`: the bearer's user's pending, unexpired push MFA challenges, oldest
 * first, `[{ id, status, expiresAt }]` (what a bound device shows to approve).
 */
export function listMfaChallengesRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: paths.mfaChallenges,
    bearer: true,
    handler: (c) => {
      const userId = c.get("user").id;
      const now = runtime.now();
      const pending: MfaChallenge[] = [...runtime.store.mfaChallenges.values()]
        .filter((challenge) => challenge.userId === userId && challenge.status === "PENDING")
        .filter((challenge) => now < challenge.expiresAt)
        .map(mfaChallengeView);
      return c.json(pending, 200);
    },
  };
}
