import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
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

/** A valid login session: its user and, when the login passed MFA, the `cnf.kid` of its codes. */
export interface LoginSession {
  user: UserRecord;
  deviceId: string | undefined;
}

/** The login session of the request's cookie, if it has a valid, unexpired one. *
 * @example
 * const session = findLoginSession(runtime, c); // session?.deviceId: the login passed MFA
 */
export function findLoginSession(runtime: SandboxRuntime, c: Context): LoginSession | undefined {
  const cookie = getCookie(c, sessionCookieName);
  if (cookie === undefined || cookie === "") return undefined;
  const hash = hashToken(cookie);
  const session = runtime.store.loginSessions.get(hash);
  if (session === undefined) return undefined;
  if (runtime.now() >= session.expiresAt) {
    runtime.store.loginSessions.delete(hash);
    return undefined;
  }
  const user = runtime.store.users.get(session.userId);
  return user === undefined ? undefined : { user, deviceId: session.deviceId };
}

/**
 * Starts a login session for `user` and sets its cookie on the response: an opaque random value, of
 * which the store keeps only the hash. The cookie lasts for the browser session; the server-side record
 * expires after `sessionTtl` seconds.
 *
 * @param deviceId - the `cnf.kid` when the login passed MFA; every code of the session is then confirmed.
 *
 * @example
 * startLoginSession(runtime, c, user, mfaChallengeConfirmation(challenge));
 */
export function startLoginSession(
  runtime: SandboxRuntime,
  c: Context,
  user: UserRecord,
  deviceId?: string,
): void {
  const value = randomToken();
  runtime.store.loginSessions.set(hashToken(value), {
    userId: user.id,
    expiresAt: runtime.now() + runtime.config.sessionTtl * 1000,
    deviceId,
  });
  setCookie(c, sessionCookieName, value, { httpOnly: true, sameSite: "Lax", path: "/" });
}

/**
 * Ends the login session of the request's cookie, if any (its server-side record is deleted), and clears
 * the cookie on the response.
 *
 * @example
 * endLoginSession(runtime, c); // GET /oauth/logout
 */
export function endLoginSession(runtime: SandboxRuntime, c: Context): void {
  const cookie = getCookie(c, sessionCookieName);
  if (cookie !== undefined && cookie !== "") runtime.store.loginSessions.delete(hashToken(cookie));
  deleteCookie(c, sessionCookieName, { path: "/", httpOnly: true, sameSite: "Lax" });
}
