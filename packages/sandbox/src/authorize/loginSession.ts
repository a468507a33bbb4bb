import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { isConfirmationLive } from "../devices/isConfirmationLive";
import { hashToken } from "../security/hashToken";
import { randomToken } from "../security/randomToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { UserRecord } from "../state/SandboxStore";

/**
 * The name of the login session cookie the authorization page sets (`HttpOnly; SameSite=Lax; Path=/`,
 * without `Secure`, as the sandbox serves plain HTTP on loopback, and without `Max-Age`/`Expires`: like
 * Kontist's, it ends when the browser closes).
 */
export const sessionCookieName = "kontist_sandbox_session";

/**
 * A valid login session: its user, the sign-in session its tokens carry (`sid`) and, when the login passed
 * MFA, the `cnf.kid` of its codes.
 */
export interface LoginSession {
  user: UserRecord;
  sessionId: string;
  deviceId: string | undefined;
}

/**
 * The login session of the request's cookie, if it has a valid, unexpired one. A session whose login was
 * approved by a device that has been deleted since has ended (its record is dropped): the next login
 * passes MFA again.
 *
 * @example
 * import type { Context } from "hono";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * function signedInAs(runtime: SandboxRuntime, c: Context): string | undefined {
 *   const session = findLoginSession(runtime, c); // session?.deviceId: the login passed MFA
 *   return session?.user.email;
 * }
 */
export function findLoginSession(runtime: SandboxRuntime, c: Context): LoginSession | undefined {
  const cookie = getCookie(c, sessionCookieName);
  if (cookie === undefined || cookie === "") return undefined;
  const hash = hashToken(cookie);
  const session = runtime.store.loginSessions.get(hash);
  if (session === undefined) return undefined;
  const confirmationDead =
    session.deviceId !== undefined && !isConfirmationLive(runtime.store, session.userId, session.deviceId);
  if (runtime.now() >= session.expiresAt || confirmationDead) {
    runtime.store.loginSessions.delete(hash);
    return undefined;
  }
  const user = runtime.store.users.get(session.userId);
  return user === undefined ? undefined : { user, sessionId: session.sessionId, deviceId: session.deviceId };
}

/**
 * Starts a login session for `user` and sets its cookie on the response: an opaque random value, of
 * which the store keeps only the hash. The cookie lasts for the browser session; the server-side record
 * expires after `sessionTtl` seconds. The login is a new sign-in session (`sid`) for every token its codes
 * lead to.
 *
 * @param deviceId - the `cnf.kid` when the login passed MFA; every code of the session is then confirmed.
 * @returns the session, to issue the login's first code with.
 *
 * @example
 * import type { Context } from "hono";
 * import { mfaChallengeConfirmation } from "../mfa/mfaChallengeConfirmation";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import type { MfaChallengeRecord, UserRecord } from "../state/SandboxStore";
 * import { issueAuthorizationCode } from "./issueAuthorizationCode";
 * import type { AuthorizeRequest } from "./readAuthorizeRequest";
 *
 * // The login's push challenge was approved: a session that remembers the MFA, and its first code.
 * function signInAfterMfa(
 *   runtime: SandboxRuntime,
 *   c: Context,
 *   request: AuthorizeRequest,
 *   login: { user: UserRecord; challenge: MfaChallengeRecord },
 * ): string {
 *   const session = startLoginSession(runtime, c, login.user, mfaChallengeConfirmation(login.challenge));
 *   return issueAuthorizationCode(runtime, request, session);
 * }
 */
export function startLoginSession(
  runtime: SandboxRuntime,
  c: Context,
  user: UserRecord,
  deviceId?: string,
): LoginSession {
  const value = randomToken();
  const sessionId = randomUUID();
  runtime.store.loginSessions.set(hashToken(value), {
    userId: user.id,
    sessionId,
    expiresAt: runtime.now() + runtime.config.sessionTtl * 1000,
    deviceId,
  });
  setCookie(c, sessionCookieName, value, { httpOnly: true, sameSite: "Lax", path: "/" });
  return { user, sessionId, deviceId };
}

/**
 * Ends the login session of the request's cookie, if any (its server-side record is deleted), and clears
 * the cookie on the response.
 *
 * @example
 * import type { SandboxRoute } from "../http/SandboxRoute";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * const logout = (runtime: SandboxRuntime): SandboxRoute => ({
 *   method: "GET",
 *   path: "/oauth/logout",
 *   handler: (c) => {
 *     endLoginSession(runtime, c);
 *     return c.html("<p>You are signed out.</p>");
 *   },
 * });
 */
export function endLoginSession(runtime: SandboxRuntime, c: Context): void {
  const cookie = getCookie(c, sessionCookieName);
  if (cookie !== undefined && cookie !== "") runtime.store.loginSessions.delete(hashToken(cookie));
  deleteCookie(c, sessionCookieName, { path: "/", httpOnly: true, sameSite: "Lax" });
}
