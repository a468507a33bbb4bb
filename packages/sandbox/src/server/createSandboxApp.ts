import { Hono } from "hono";
import { authorizeRoutes } from "../authorize/authorizeRoutes";
import { deviceRoutes } from "../devices/deviceRoutes";
import { graphQLRoute } from "../graphql/graphQLRoute";
import { ApiError } from "../http/ApiError";
import { handleError } from "../http/handleError";
import { limitBody } from "../http/limitBody";
import { loopbackCors } from "../http/loopbackCors";
import { registerRoutes } from "../http/registerRoutes";
import { requestLog } from "../http/requestLog";
import type { SandboxEnv } from "../http/SandboxEnv";
import { routeKey } from "../http/SandboxRoute";
import { mfaRoutes } from "../mfa/mfaRoutes";
import { tokenRoute } from "../oauth/token";
import { silentLog } from "../options/resolveSandboxOptions";
import { loopbackHostOnly } from "../testRoutes/loopbackHostOnly";
import { testRoutes } from "../testRoutes/testRoutes";
import type { SandboxRuntime } from "./SandboxRuntime";

/** Largest request body accepted, in bytes; a larger one is answered 413. */
export const maxBodyBytes = 64 * 1024;

/**
 * The sandbox as a Hono app: logging, loopback CORS, the body limit, every endpoint (OAuth2, device
 * binding, push MFA, GraphQL, test support), JSON 404/405 and a global error handler that always answers
 * JSON.
 */
export function createSandboxApp(runtime: SandboxRuntime): Hono<SandboxEnv> {
  // Like most Node API servers (Express's default), a trailing slash names the same route.
  const app = new Hono<SandboxEnv>({ strict: false });
  // Without a log, no log line is built per request.
  if (runtime.config.log !== silentLog) app.use(requestLog(runtime.config.log));
  app.use(loopbackCors());
  app.use("/sandbox/*", loopbackHostOnly());
  app.use(
    // The rest of the body is not read: close the connection, so the client does not send its next
    // request down a connection the server is dropping.
    limitBody(maxBodyBytes, () => {
      throw new ApiError(413, `The body is larger than ${maxBodyBytes} bytes.`, { Connection: "close" });
    }),
  );
  app.onError(handleError(runtime.config.log));
  const apiRoutes = [
    tokenRoute(runtime),
    ...authorizeRoutes(runtime),
    ...deviceRoutes(runtime),
    ...mfaRoutes(runtime),
    graphQLRoute(runtime),
  ];
  const faultable = apiRoutes.filter((route) => route.counted !== false).map(routeKey);
  registerRoutes(app, [...apiRoutes, ...testRoutes(runtime, faultable)], runtime);
  return app;
}
