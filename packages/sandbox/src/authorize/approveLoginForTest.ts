import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { Context } from "hono";
import { ApiError } from "../http/ApiError";
import type { SandboxEnv } from "../http/SandboxEnv";
import type { SandboxRoute } from "../http/SandboxRoute";
import { settleMfaChallenge } from "../mfa/settleMfaChallenge";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { answerAuthorization } from "./answerAuthorization";
import { asPage } from "./asPage";
import { continueMfaLogin, findPendingLogin } from "./mfaLogin";
import { readAuthorizeForm } from "./readAuthorizeForm";
import { readAuthorizeRequest } from "./readAuthorizeRequest";
import { pendingLoginField } from "./renderMfaWaitingPage";

/**
 * `POST /sandbox/authorize/approve` (test support; the "Approve on phone (sandbox)" button of the login's
 * MFA waiting page): the waiting page's form fields (the request's parameters and `pending_login`).
 * Approves the pending login's push challenge as the user's phone would (without a device, like
 * `POST /sandbox/mfa/challenges/{id}/approve`) if it is still pending, then continues the login as
 * "Continue" does: a code for a confirmed token, or the denial when the challenge was denied or expired.
 * Answers 400 for an unknown pending login, 403 for a post a browser sent from another page than the
 * sandbox's own ({@link readAuthorizeForm}), 415 for a body that is not form-encoded.
 *
 * @example
 * import { Hono } from "hono";
 * import { registerRoutes } from "../http/registerRoutes";
 * import type { SandboxEnv } from "../http/SandboxEnv";
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * const app = new Hono<SandboxEnv>();
 * registerRoutes(app, [approveLoginForTestRoute(runtime)], runtime);
 */
export function approveLoginForTestRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: sandboxPaths.approveLogin,
    counted: false,
    handler: (c: Context<SandboxEnv>) =>
      asPage(c, async () => {
        const form = await readAuthorizeForm(c);
        const reading = readAuthorizeRequest(runtime, form);
        if (!reading.ok) return answerAuthorization(c, reading.target, reading);
        const reference = form.get(pendingLoginField) ?? "";
        const found = findPendingLogin(runtime, reading.request, reference);
        if (found === undefined) {
          throw new ApiError(400, "There is no such pending sign-in: start again.");
        }
        if (found.challenge.status === "PENDING" && runtime.now() < found.challenge.expiresAt) {
          settleMfaChallenge(found.challenge, "VERIFIED", runtime.now());
        }
        return continueMfaLogin(runtime, c, reading.request, reference);
      }),
  };
}
