import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * `POST /sandbox/reset`: back to the seeded state — refresh tokens, devices, challenges, device binding
 * requests, SMS, e-mails and stats are dropped (access tokens are stateless JWTs and stay valid until they expire). Answers 204.
 */
export function resetSandboxRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: sandboxPaths.reset,
    counted: false,
    handler: (c) => {
      runtime.store.reset();
      return c.body(null, 204);
    },
  };
}
