import type { Context } from "hono";
import { asPage } from "../authorize/asPage";
import { ensureSameOriginForm, type SameOriginForm } from "../authorize/ensureSameOriginForm";
import { pageHeaders } from "../authorize/renderPage";
import { routePattern } from "../http/routePattern";
import type { SandboxEnv } from "../http/SandboxEnv";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { answerDeviceBindingRequestForTest } from "../testRoutes/answerDeviceBindingRequestForTest";
import { answerMfaChallengeForTest } from "../testRoutes/answerMfaChallengeForTest";
import { phonePaths } from "./phonePaths";
import { renderPhonePage } from "./renderPhonePage";

const phoneForm: SameOriginForm = {
  name: "A button of the phone page",
  remedy: "use the sandbox's own phone page",
};

/** A button's form post: the CSRF check, the answer, then 303 See Other back to the page. */
function buttonRoute(
  build: (id: string) => string,
  parameter: string,
  answer: (runtime: SandboxRuntime, id: string) => void,
) {
  return (runtime: SandboxRuntime): SandboxRoute => ({
    method: "POST",
    path: routePattern(build, parameter),
    counted: false,
    handler: (c: Context<SandboxEnv>) =>
      asPage(c, () => {
        ensureSameOriginForm(c, phoneForm);
        answer(runtime, c.req.param(parameter) ?? "");
        return c.redirect(phonePaths.page, 303);
      }),
  });
}

const buttonRoutes = [
  buttonRoute(phonePaths.approveMfaChallenge, "challengeId", (runtime, id) =>
    answerMfaChallengeForTest(runtime, id, "VERIFIED"),
  ),
  buttonRoute(phonePaths.denyMfaChallenge, "challengeId", (runtime, id) =>
    answerMfaChallengeForTest(runtime, id, "DENIED"),
  ),
  buttonRoute(phonePaths.confirmDeviceBindingRequest, "requestId", (runtime, id) =>
    answerDeviceBindingRequestForTest(runtime, id, true),
  ),
  buttonRoute(phonePaths.rejectDeviceBindingRequest, "requestId", (runtime, id) =>
    answerDeviceBindingRequestForTest(runtime, id, false),
  ),
];

/**
 * The sandbox's phone page (test support, loopback only): `GET /sandbox/phone` (200 HTML,
 * {@link renderPhonePage}) and its buttons' form posts, which answer as the user's phone or mailbox
 * would and then 303 See Other back to the page:
 * - `POST /sandbox/phone/mfa-challenges/{challengeId}/approve` and `/deny` (404 unknown, 409 already answered,
 *   410 expired);
 * - `POST /sandbox/phone/device-binding-requests/{requestId}/confirm` and `/reject` (404 unknown, 409 already
 *   confirmed or rejected).
 *
 * A post a browser sent from another page than the sandbox's own is refused 403
 * ({@link ensureSameOriginForm}). Errors are an HTML page for a browser, `{ message, status }` otherwise.
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
 * registerRoutes(app, phoneRoutes(runtime), runtime);
 */
export function phoneRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [
    {
      method: "GET",
      path: phonePaths.page,
      counted: false,
      handler: (c) => c.html(renderPhonePage(runtime.store, runtime.now()), 200, pageHeaders),
    },
    ...buttonRoutes.map((route) => route(runtime)),
  ];
}
