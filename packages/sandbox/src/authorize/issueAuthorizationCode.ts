import { randomUUID } from "node:crypto";
import { hashToken } from "../security/hashToken";
import { randomToken } from "../security/randomToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { LoginSession } from "./loginSession";
import type { AuthorizeRequest } from "./readAuthorizeRequest";

/**
 * Issues an authorization code for the user of the login session `session` (RFC 6749 §4.1.2): an opaque
 * random string, stored by its hash with the client, redirect URI, scopes and PKCE challenge it is bound
 * to and the session's `sid`; it lives `authorizationCodeTtl` seconds and can be exchanged once. When the
 * session's login passed MFA (`session.deviceId`, its `cnf.kid`), the code yields a confirmed token.
 *
 * @example
 * import type { Context } from "hono";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import type { UserRecord } from "../state/SandboxStore";
 * import { startLoginSession } from "./loginSession";
 * import type { AuthorizeRequest } from "./readAuthorizeRequest";
 *
 * // The password was right and the request skips MFA: a login session, and a code for an unconfirmed token.
 * function signIn(runtime: SandboxRuntime, c: Context, request: AuthorizeRequest, user: UserRecord): string {
 *   return issueAuthorizationCode(runtime, request, startLoginSession(runtime, c, user));
 * }
 */
export function issueAuthorizationCode(
  runtime: SandboxRuntime,
  request: AuthorizeRequest,
  session: LoginSession,
): string {
  const code = randomToken();
  runtime.store.authorizationCodes.set(hashToken(code), {
    clientId: request.client.id,
    userId: session.user.id,
    redirectUri: request.redirectUri,
    scopes: [...request.scopes],
    codeChallenge: request.codeChallenge,
    expiresAt: runtime.now() + runtime.config.authorizationCodeTtl * 1000,
    used: false,
    familyId: randomUUID(),
    sessionId: session.sessionId,
    deviceId: session.deviceId,
  });
  return code;
}
