import { type SandboxEmail, sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * `GET /sandbox/emails`: every e-mail the sandbox "sent", oldest first, `[{ to, subject, text, link?,
 * deviceBindingRequestId?, sentAt }]` — the device binding confirmations, whose `link` opens the request's
 * page.
 */
export function listEmailsRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: sandboxPaths.emails,
    counted: false,
    handler: (c) =>
      c.json(
        runtime.store.emails.map((email): SandboxEmail => ({ ...email })),
        200,
      ),
  };
}
