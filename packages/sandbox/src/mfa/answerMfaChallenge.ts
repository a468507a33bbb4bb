import { answerMfaChallengeRequestSchema, paths } from "@kontist-auth/protocol";
import { ApiError } from "../http/ApiError";
import { readJsonBody } from "../http/readJsonBody";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnMfaChallenge } from "./findOwnMfaChallenge";
import { settleMfaChallenge } from "./settleMfaChallenge";

/**
 * `PATCH /api/user/mfa/challenges/{challengeId}` `{ status: "VERIFIED" | "DENIED" }`: an app with a bound
 * device answers another login of the same user. Needs a confirmed token (`cnf`), whose device becomes
 * the confirmation of the challenge's token. Answers 204; 400 for a bad body; 403 without a confirmed
 * token; 404 for an unknown or foreign challenge; 409/410 as {@link settleMfaChallenge}.
 */
export function answerMfaChallengeRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "PATCH",
    path: routePattern(paths.mfaChallenge, "challengeId"),
    bearer: true,
    handler: async (c) => {
      const { status } = await readJsonBody(c, answerMfaChallengeRequestSchema);
      const challenge = findOwnMfaChallenge(
        runtime.store,
        c.get("user").id,
        c.req.param("challengeId") ?? "",
      );
      const confirmation = c.get("accessToken").cnf;
      if (confirmation === undefined) {
        throw new ApiError(
          403,
          "Answering an MFA challenge needs a confirmed token (cnf): confirm with a bound device first.",
        );
      }
      settleMfaChallenge(challenge, status, runtime.now(), confirmation.kid);
      return c.body(null, 204);
    },
  };
}
