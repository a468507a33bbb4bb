import { paths } from "@kontist-auth/protocol";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnMfaChallenge } from "./findOwnMfaChallenge";
import { mfaChallengeView } from "./mfaChallengeView";

/**
 * `GET /api/user/mfa/challenges/{challengeId}`: `{ id, status, expiresAt }`, what a client polls. The
 * status stays `PENDING` once `expiresAt` has passed unanswered (the poller judges expiry by
 * `expiresAt`). 404 for an unknown or foreign challenge.
 */
export function getMfaChallengeRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: routePattern(paths.mfaChallenge, "challengeId"),
    bearer: true,
    handler: (c) => {
      const challenge = findOwnMfaChallenge(
        runtime.store,
        c.get("user").id,
        c.req.param("challengeId") ?? "",
      );
      return c.json(mfaChallengeView(challenge), 200, { "Cache-Control": "no-store" });
    },
  };
}
