import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { answerMfaChallengeRoute } from "./answerMfaChallenge";
import { createMfaChallengeRoute } from "./createMfaChallenge";
import { getMfaChallengeRoute } from "./getMfaChallenge";
import { issueMfaChallengeTokenRoute } from "./issueMfaChallengeToken";
import { listMfaChallengesRoute } from "./listMfaChallenges";

/** The push-notification MFA endpoints (`/api/user/mfa/challenges…`), all behind a bearer token. */
export function mfaRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [
    createMfaChallengeRoute(runtime),
    listMfaChallengesRoute(runtime),
    getMfaChallengeRoute(runtime),
    answerMfaChallengeRoute(runtime),
    issueMfaChallengeTokenRoute(runtime),
  ];
}
