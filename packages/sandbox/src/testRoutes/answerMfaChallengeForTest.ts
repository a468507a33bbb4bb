import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { ApiError } from "../http/ApiError";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import { settleMfaChallenge } from "../mfa/settleMfaChallenge";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * Answers the push MFA challenge `challengeId` as the user's phone would (without a device): `VERIFIED`
 * or `DENIED`.
 *
 * @throws {ApiError} 404 for an unknown challenge; 409 when it was already answered; 410 when it has
 *   expired.
 */
export function answerMfaChallengeForTest(
  runtime: SandboxRuntime,
  challengeId: string,
  status: "VERIFIED" | "DENIED",
): void {
  const challenge = runtime.store.mfaChallenges.get(challengeId);
  if (challenge === undefined) throw new ApiError(404, "MFA challenge not found.");
  settleMfaChallenge(challenge, status, runtime.now());
}

function answerRoute(runtime: SandboxRuntime, status: "VERIFIED" | "DENIED"): SandboxRoute {
  const build = status === "VERIFIED" ? sandboxPaths.approveMfaChallenge : sandboxPaths.denyMfaChallenge;
  return {
    method: "POST",
    path: routePattern(build, "challengeId"),
    counted: false,
    handler: (c) => {
      answerMfaChallengeForTest(runtime, c.req.param("challengeId") ?? "", status);
      return c.body(null, 204);
    },
  };
}

/**
 * `POST /sandbox/mfa/challenges/{challengeId}/approve` and `/deny` (no body): the phone's answer to a
 * push MFA challenge, as the user would give it. Answers 204; 404 for an unknown challenge; 409 when it
 * was already answered; 410 when it has expired.
 */
export function answerMfaChallengeForTestRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [answerRoute(runtime, "VERIFIED"), answerRoute(runtime, "DENIED")];
}
