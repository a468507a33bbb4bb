import { paths } from "@kontist-auth/protocol";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../http/ApiError";
import { mediaType } from "../http/mediaType";
import type { SandboxEnv } from "../http/SandboxEnv";
import type { SandboxRoute } from "../http/SandboxRoute";
import { constantTimeEqual } from "../security/constantTimeEqual";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { UserRecord } from "../state/SandboxStore";
import { answerAuthorization } from "./answerAuthorization";
import { issueAuthorizationCode } from "./issueAuthorizationCode";
import { findLoginSession, startLoginSession } from "./loginSession";
import { type AuthorizeRequest, readAuthorizeRequest } from "./readAuthorizeRequest";
import { type LoginPageState, renderLoginPage } from "./renderLoginPage";
import { pageHeaders, renderErrorPage } from "./renderPage";

/** Whether the caller is a browser that wants a page rather than JSON. */
const wantsHtml = (c: Context) => (c.req.header("accept") ?? "").toLowerCase().includes("text/html");

/**
 * Runs `serve`, answering an {@link ApiError} as an HTML page for a browser and as
 * `{ "message", "status" }` for anything else: a bad client or redirect URI is never redirected to.
 */
async function asPage(c: Context, serve: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await serve();
  } catch (error) {
    if (!(error instanceof ApiError) || !wantsHtml(c)) throw error;
    return c.html(renderErrorPage(error.status, error.message), error.status as ContentfulStatusCode, {
      ...pageHeaders,
      ...error.headers,
    });
  }
}

function loginPage(c: Context, request: AuthorizeRequest, status: 200 | 401, state: LoginPageState) {
  if (status !== 200 && !wantsHtml(c)) throw new ApiError(status, state.error ?? "Sign in first.");
  return c.html(renderLoginPage(request, state), status, pageHeaders);
}

function answerWithCode(runtime: SandboxRuntime, c: Context, request: AuthorizeRequest, user: UserRecord) {
  return answerAuthorization(c, request, { code: issueAuthorizationCode(runtime, request, user.id) });
}

/**
 * `GET /api/oauth/authorize` (RFC 6749 §4.1.1, RFC 7636 §4.3): checks the request
 * ({@link readAuthorizeRequest}); with a login session (and no `prompt=login|consent`) answers a code at
 * once; with `prompt=none` and no session answers `login_required`; otherwise shows the login and consent
 * page (200 HTML).
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
        const user = findLoginSession(runtime, c);
        if (request.prompt === "none") {
          if (user === undefined) {
            return answerAuthorization(c, request, {
              error: "login_required",
              description: "There is no login session; sign in without prompt=none first.",
            });
          }
          return answerWithCode(runtime, c, request, user);
        }
        if (user !== undefined && request.prompt === undefined)
          return answerWithCode(runtime, c, request, user);
        const signedInAs = request.prompt === "consent" && user !== undefined ? user.email : undefined;
        return loginPage(c, request, 200, signedInAs === undefined ? {} : { signedInAs });
      }),
  };
}

/**
 * `POST /api/oauth/authorize` (the login form; form-encoded): the request's parameters plus `username`,
 * `password` and `decision` (`allow`, the default, or `deny`). `deny` answers `access_denied`; right
 * credentials start a login session (cookie) and answer a code; without credentials an existing session
 * is used (unless `prompt=login`); wrong or missing credentials show the page again with 401 (JSON
 * `{ "message", "status" }` for a non-browser).
 */
function authorizeFormRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: paths.authorize,
    handler: (c: Context<SandboxEnv>) =>
      asPage(c, async () => {
        if (mediaType(c.req.header("content-type")) !== "application/x-www-form-urlencoded") {
          throw new ApiError(
            415,
            "The body must be form-encoded (Content-Type: application/x-www-form-urlencoded).",
          );
        }
        const form = new URLSearchParams(await c.req.text());
        const reading = readAuthorizeRequest(runtime, form);
        if (!reading.ok) return answerAuthorization(c, reading.target, reading);
        const { request } = reading;
        if (form.get("decision") === "deny") {
          return answerAuthorization(c, request, {
            error: "access_denied",
            description: "The user refused the authorization request.",
          });
        }
        const username = form.get("username") ?? "";
        const password = form.get("password") ?? "";
        if (username === "" && password === "") {
          const user = request.prompt === "login" ? undefined : findLoginSession(runtime, c);
          if (user !== undefined) return answerWithCode(runtime, c, request, user);
          return loginPage(c, request, 401, { error: "Enter your e-mail and password." });
        }
        const user = runtime.store.findUserByEmail(username);
        // Compare even for an unknown user, so timing does not tell which e-mails exist.
        const passwordMatches = constantTimeEqual(password, user?.password ?? "\u0000");
        if (user === undefined || !passwordMatches) {
          return loginPage(c, request, 401, { username, error: "The e-mail or password is wrong." });
        }
        startLoginSession(runtime, c, user);
        return answerWithCode(runtime, c, request, user);
      }),
  };
}

/** The authorization endpoint: the login and consent page and its form. */
export function authorizeRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [authorizePageRoute(runtime), authorizeFormRoute(runtime)];
}
