import { type SandboxSms, sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/** `GET /sandbox/sms`: every SMS the sandbox "sent", oldest first, `[{ to, text, otp, sentAt }]`. */
export function listSmsRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: sandboxPaths.sms,
    counted: false,
    handler: (c) =>
      c.json(
        runtime.store.sms.map((sms): SandboxSms => ({ ...sms })),
        200,
      ),
  };
}
