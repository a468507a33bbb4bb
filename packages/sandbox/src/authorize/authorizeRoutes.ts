import { paths } from "@kontist-auth/protocol";
import type { Context } from "hono";
import { ApiError } from "../http/ApiError";
import type { SandboxEnv } from "../http/SandboxEnv";
import type { SandboxRoute } from "../http/SandboxRoute";
import { constantTimeEqual } from "../security/constantTimeEqual";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { accessDenied, answerAuthorization } from "./answerAuthorization";
import { approveLoginForTestRoute } from "./approveLoginForTest";
import { asPage, wantsHtml } from "./asPage";
import { issueAuthorizationCode } from "./issueAuthorizationCode";
import { findLoginSession, type LoginSession, startLoginSession } from "./loginSession";
import { logoutRoute } from "./logoutRoute";
import { cancelMfaLogin, continueMfaLogin, startMfaLogin } from "./mfaLogin";
import { readAuthorizeForm } from "./readAuthorizeForm";
import { type AuthorizeRequest, readAuthorizeRequest } from "./readAuthorizeRequest";
import { type LoginPageState, renderLoginPage } from "./renderLoginPage";
import { pendingLoginField } from "./renderMfaWaitingPage";
import { pageHeaders } from "./renderPage";

function loginPage(c: Context, request: AuthorizeRequest, status: 200 | 401, state: LoginPageState) {
  if (status !== 200 && !wantsHtml(c)) throw new ApiError(status, state.error ?? "Sign in first.");
  return c.html(renderLoginPage(request, state), status, pageHeaders);
}

/** A code from the login session: confirmed when the session's login passed MFA. */
function answerFromSession(
  runtime: SandboxRuntime,
  c: Context,
  request: AuthorizeRequest,
  session: LoginSession,
) {
  const code = issueAuthorizationCode(runtime, request, session);
  return answerAuthorization(c, request, { code });
}

/**
 * `GET /api/oauth/authorize` (RFC 6749 §4.1.1, RFC 7636 §4.3): checks the request
 * ({@link readAuthorizeRequest}); with a login session (and no `prompt=login|consent`) answers a code at
 * once, confirmed when the session's login passed MFA; with `prompt=none` and no session answers
 * `login_required`; otherwise shows the login and consent page (200 HTML).
 */
function authorizePageRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: paths.authorize,
    handler: (c: Context<SandboxEnv>) =>
      asPage(c, () => {
        const reading = readAuthorizeRequest(runtime, new URL(c.req.url).searchParams);
        if (!reading.ok) return answerAuthorization(c, reading.target, reading);
        const { request } = reading;
        const session = findLoginSession(runtime, c);
        if (request.prompt === "none") {
          if (session === undefined) {
            return answerAuthorization(c, request, {
              error: "login_required",
              description: "There is no login session; sign in without prompt=none first.",
            });
          }
          return answerFromSession(runtime, c, request, session);
        }
        if (session !== undefined && request.prompt === undefined) {
          return answerFromSession(runtime, c, request, session);
        }
        const signedInAs = request.prompt === "consent" ? session?.user.email : undefined;
        return loginPage(c, request, 200, signedInAs === undefined ? {} : { signedInAs });
      }),
  };
}

/**
 * `POST /api/oauth/authorize` (the login form; form-encoded): the request's parameters plus `username`,
 * `password` and `decision` (`allow`, the default, or `deny`), or, from the MFA waiting page,
 * `pending_login` instead of the credentials.
 * - `deny` answers Kontist's denial, `error={"type":"AccessDeniedError"}` (and cancels a pending login).
 * - Right credentials: unless `skip_mfa=true`, the MFA step ({@link startMfaLogin}: a push challenge and
 *   the waiting page); with it, a login session (cookie) and a code for an unconfirmed token at once.
 * - `pending_login`: {@link continueMfaLogin}.
 * - No credentials: an existing session is used (unless `prompt=login`).
 * - Wrong or missing credentials show the page again with 401 (JSON `{ "message", "status" }` for a
 *   non-browser).
 * - A post a browser sent from another page than the sandbox's own is refused first, with 403 (login
 *   CSRF, see {@link readAuthorizeForm}).
 */
function authorizeFormRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: paths.authorize,
    handler: (c: Context<SandboxEnv>) =>
      asPage(c, async () => {
        const form = await readAuthorizeForm(c);
        const reading = readAuthorizeRequest(runtime, form);
        if (!reading.ok) return answerAuthorization(c, reading.target, reading);
        const { request } = reading;
        const pendingLogin = form.get(pendingLoginField);
        if (form.get("decision") === "deny") {
          if (pendingLogin !== null) cancelMfaLogin(runtime, request, pendingLogin);
          return answerAuthorization(c, request, accessDenied);
        }
        if (pendingLogin !== null) return continueMfaLogin(runtime, c, request, pendingLogin);
        const username = form.get("username") ?? "";
        const password = form.get("password") ?? "";
        if (username === "" && password === "") {
          const session = request.prompt === "login" ? undefined : findLoginSession(runtime, c);
          if (session !== undefined) return answerFromSession(runtime, c, request, session);
          return loginPage(c, request, 401, { error: "Enter your e-mail and password." });
        }
        const user = runtime.store.findUserByEmail(username);
        // Compare even for an unknown user, so timing does not tell which e-mails exist.
        const passwordMatches = constantTimeEqual(password, user?.password ?? "\u0000");
        if (user === undefined || !passwordMatches) {
          return loginPage(c, request, 401, { username, error: "The e-mail or password is wrong." });
        }
        if (!request.skipMfa) return startMfaLogin(runtime, c, request, user);
        const session = startLoginSession(runtime, c, user);
        return answerAuthorization(c, request, { code: issueAuthorizationCode(runtime, request, session) });
      }),
  };
}

/**
 * The authorization endpoint (the login and consent page, its form and its MFA step), the sandbox's
 * approve button of that step, and the logout page.
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
 * registerRoutes(app, authorizeRoutes(runtime), runtime);
 * const query = new URLSearchParams({
 *   response_type: "code",
 *   client_id: "demo-client",
 *   redirect_uri: "http://localhost:5173/callback",
 * });
 * const page = await app.request(`/api/oauth/authorize?${query}`); // 200, the login and consent page
 */
export function authorizeRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [
    authorizePageRoute(runtime),
    authorizeFormRoute(runtime),
    approveLoginForTestRoute(runtime),
    logoutRoute(runtime),
  ];
}
