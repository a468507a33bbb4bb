import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { listSmsRoute } from "./listSms";
import { readStatsRoute } from "./readStats";
import { resetSandboxRoute } from "./resetSandbox";

/** The test-support endpoints, all under `/sandbox/`; they do not exist at Kontist. */
export function testSupportRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [listSmsRoute(runtime), readStatsRoute(runtime), resetSandboxRoute(runtime)];
}
