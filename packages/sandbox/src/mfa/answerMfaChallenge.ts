import { answerMfaChallengeRequestSchema, paths } from "@kontist-auth/protocol";
import { findApprovingDevice } from "../devices/findApprovingDevice";
import { ApiError } from "../http/ApiError";
import { readJsonBody } from "../http/readJsonBody";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnMfaChallenge } from "./findOwnMfaChallenge";
import { settleMfaChallenge } from "./settleMfaChallenge";

/**
 * `PATCH /api/user/mfa/challenges/{challengeId}` `{ status: "VERIFIED" | "DENIED" }`: an app with a bound
 * device answers another sign-in of the same user. Needs a confirmed token of a verified device that is
 * still bound ({@link findApprovingDevice}), which becomes the confirmation of the challenge's token; a
 * token of the sign-in session that started the challenge may not answer it (an approval vouches for
 * another sign-in, so a stolen confirmed access token cannot mint itself a confirmed refresh token).
 * Answers 204; 400 for a bad body; 403 without such a token, or from the challenge's own session; 404 for
 * an unknown or foreign challenge; 409/410 as {@link settleMfaChallenge}.
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
      const claims = c.get("accessToken");
      const device = findApprovingDevice(
        runtime.store,
        c.get("user").id,
        claims,
        "Answering an MFA challenge",
      );
      if (challenge.sessionId !== undefined && challenge.sessionId === claims.sid) {
        throw new ApiError(
          403,
          "This MFA challenge was started by the same sign-in: answer it from another bound device.",
        );
      }
      settleMfaChallenge(challenge, status, runtime.now(), device.id);
      return c.body(null, 204);
    },
  };
}
