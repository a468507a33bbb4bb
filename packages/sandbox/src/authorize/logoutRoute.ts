import { paths } from "@kontist-auth/protocol";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { endLoginSession } from "./loginSession";
import { renderPage } from "./renderPage";

/** Loopback origins on any port: where the apps that load the logout page in a hidden iframe run. */
const loopbackFrameAncestors = ["localhost", "127.0.0.1", "[::1]"]
  .flatMap((host) => [`http://${host}:*`, `https://${host}:*`])
  .join(" ");

/**
 * `GET /oauth/logout` (Kontist's docs give this path, without `/api`): ends the login session of the
 * request's cookie (its server-side record is deleted and the cookie cleared), so `prompt=none` answers
 * `login_required` afterwards. Answers 200 with a small HTML page that apps on loopback origins may
 * load in a hidden iframe, as the docs advise; `Cache-Control: no-store`. Without a session it answers
 * the same.
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
 * registerRoutes(app, [logoutRoute(runtime)], runtime);
 * const response = await app.request("/oauth/logout"); // 200, "You are signed out.", the cookie cleared
 */
export function logoutRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: paths.logout,
    handler: (c) => {
      endLoginSession(runtime, c);
      const page = renderPage("Signed out", "<h1>Kontist sandbox</h1>\n<p>You are signed out.</p>");
      return c.html(page, 200, {
        "Cache-Control": "no-store",
        "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self' ${loopbackFrameAncestors}; base-uri 'none'`,
        "Referrer-Policy": "no-referrer",
      });
    },
  };
}
