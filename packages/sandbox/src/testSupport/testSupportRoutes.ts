import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { answerMfaChallengeForTestRoutes } from "./answerMfaChallengeForTest";
import { faultRoutes } from "./faultRoutes";
import { listAllMfaChallengesRoute } from "./listAllMfaChallenges";
import { listSmsRoute } from "./listSms";
import { readStatsRoute } from "./readStats";
import { resetSandboxRoute } from "./resetSandbox";

/**
 * The test-support endpoints, all under `/sandbox/`; they do not exist at Kontist.
 *
 * @param faultableRoutes - the keys (`METHOD /path/{pattern}`) of the API routes faults may target.
 */
export function testSupportRoutes(
  runtime: SandboxRuntime,
  faultableRoutes: readonly string[],
): SandboxRoute[] {
  return [
    listSmsRoute(runtime),
    readStatsRoute(runtime),
    resetSandboxRoute(runtime),
    listAllMfaChallengesRoute(runtime),
    ...answerMfaChallengeForTestRoutes(runtime),
    ...faultRoutes(runtime, faultableRoutes),
  ];
}
