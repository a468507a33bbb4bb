import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { hashToken } from "../security/hashToken";
import { randomToken } from "../security/randomToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { UserRecord } from "../state/SandboxStore";

/**
 * The name of the login session cookie the authorization page sets (`HttpOnly; SameSite=Lax; Path=/`,
 * without `Secure`, as the sandbox serves plain HTTP on loopback).
 */
export const sessionCookieName = "kontist_sandbox_session";

/** The user of the request's login session, if it has a valid, unexpired one. */
export function findLoginSession(runtime: SandboxRuntime, c: Context): UserRecord | undefined {
  const cookie = getCookie(c, sessionCookieName);
  if (cookie === undefined || cookie === "") return undefined;
  const hash = hashToken(cookie);
  const session = runtime.store.loginSessions.get(hash);
  if (session === undefined) return undefined;
  if (runtime.now() >= session.expiresAt) {
    runtime.store.loginSessions.delete(hash);
    return undefined;
  }
  return runtime.store.users.get(session.userId);
}

/**
 * Starts a login session for `user` and sets its cookie on the response (an opaque random value; the
 * store keeps only its hash). It lasts `sessionTtl` seconds.
 */
export function startLoginSession(runtime: SandboxRuntime, c: Context, user: UserRecord): void {
  const value = randomToken();
  const ttl = runtime.config.sessionTtl;
  runtime.store.loginSessions.set(hashToken(value), {
    userId: user.id,
    expiresAt: runtime.now() + ttl * 1000,
  });
  setCookie(c, sessionCookieName, value, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    maxAge: Math.max(1, Math.floor(ttl)),
  });
}
