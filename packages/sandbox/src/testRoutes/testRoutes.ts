import type { SandboxRoute } from "../http/SandboxRoute";
import { jwksRoute } from "../jwt/jwksRoute";
import { phoneRoutes } from "../phone/phoneRoutes";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { answerDeviceBindingRequestForTestRoutes } from "./answerDeviceBindingRequestForTest";
import { answerMfaChallengeForTestRoutes } from "./answerMfaChallengeForTest";
import { bookTransactionForTestRoute } from "./bookTransactionForTest";
import { faultRoutes } from "./faultRoutes";
import { listAllMfaChallengesRoute } from "./listAllMfaChallenges";
import { listEmailsRoute } from "./listEmails";
import { listSmsRoute } from "./listSms";
import { readStatsRoute } from "./readStats";
import { resetSandboxRoute } from "./resetSandbox";
import { showDeviceBindingRequestRoute } from "./showDeviceBindingRequest";

/**
 * The test-support endpoints, all under `/sandbox/`, not counted in the stats and answered only to a
 * loopback `Host` (see `loopbackHostOnly`); they do not exist at Kontist.
 *
 * @param faultableRoutes - the keys (`METHOD /path/{pattern}`) of the API routes faults may target.
 */
export function testRoutes(runtime: SandboxRuntime, faultableRoutes: readonly string[]): SandboxRoute[] {
  return [
    listSmsRoute(runtime),
    listEmailsRoute(runtime),
    showDeviceBindingRequestRoute(runtime),
    ...answerDeviceBindingRequestForTestRoutes(runtime),
    readStatsRoute(runtime),
    resetSandboxRoute(runtime),
    listAllMfaChallengesRoute(runtime),
    ...answerMfaChallengeForTestRoutes(runtime),
    bookTransactionForTestRoute(runtime),
    ...faultRoutes(runtime, faultableRoutes),
    jwksRoute(runtime),
    ...phoneRoutes(runtime),
  ];
}
