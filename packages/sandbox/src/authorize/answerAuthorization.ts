import { randomBytes } from "node:crypto";
import { type AuthorizationWebMessage, accessDeniedErrorType } from "@kontist-auth/protocol";
import type { Context } from "hono";
import type { AuthorizeTarget } from "./readAuthorizeRequest";
import { renderWebMessagePage } from "./renderWebMessagePage";

/**
 * What an authorization request is answered with: a code; an RFC 6749 §4.1.2.1 error code with a
 * description (`login_required`, `invalid_scope`, …: the sandbox's convention where Kontist documents
 * none); or Kontist's denial, the object `{ type: "AccessDeniedError" }`.
 */
export type AuthorizationAnswer =
  | { code: string }
  | { error: string; description: string }
  | { error: { type: typeof accessDeniedErrorType } };

/** Kontist's answer when the user denies the request (the Deny button, or the login's MFA denied). */
export const accessDenied: AuthorizationAnswer = { error: { type: accessDeniedErrorType } };

/** The redirect's query parameters, in the order Kontist's docs show them. */
function redirectParameters(answer: AuthorizationAnswer, state: string | undefined): [string, string][] {
  const withState: [string, string][] = state === undefined ? [] : [["state", state]];
  if ("code" in answer) return [["code", answer.code], ...withState];
  if (!("description" in answer)) return [...withState, ["error", JSON.stringify(answer.error)]];
  return [["error", answer.error], ["error_description", answer.description], ...withState];
}

/** The `postMessage` payload: `response` on success only, since Kontist's SDK resolves on any `response`. */
function webMessage(answer: AuthorizationAnswer, state: string | undefined): AuthorizationWebMessage {
  const withState = state === undefined ? {} : { state };
  if ("code" in answer) {
    return { type: "authorization_response", response: { code: answer.code, ...withState } };
  }
  if (!("description" in answer))
    return { type: "authorization_response", error: answer.error, ...withState };
  return {
    type: "authorization_response",
    error: answer.error,
    error_description: answer.description,
    ...withState,
  };
}

/**
 * Sends an authorization answer to the client (RFC 6749 §4.1.2, §4.1.2.1, with Kontist's forms), `state`
 * echoed when the request had one:
 * - a 302 to the redirect URI with `code` and `state`; `error`, `error_description` and `state`; or, for
 *   a denial, `state` and `error={"type":"AccessDeniedError"}` (the JSON, URL-encoded), as Kontist's docs
 *   show;
 * - with `response_mode=web_message`, a page that posts to the parent or opener window, at the redirect
 *   URI's origin only, `{ type: "authorization_response", response: { code, state } }` on success or
 *   `{ type: "authorization_response", error, error_description?, state? }` (no `response`) on failure,
 *   where `error` is the same value as the redirect's: the RFC code, or the object
 *   `{ type: "AccessDeniedError" }`.
 *
 * @example
 * import type { Context } from "hono";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import { issueAuthorizationCode } from "./issueAuthorizationCode";
 * import { findLoginSession } from "./loginSession";
 * import { readAuthorizeRequest } from "./readAuthorizeRequest";
 *
 * function authorize(runtime: SandboxRuntime, c: Context): Response {
 *   const reading = readAuthorizeRequest(runtime, new URL(c.req.url).searchParams);
 *   if (!reading.ok) return answerAuthorization(c, reading.target, reading); // error, error_description
 *   const { request } = reading;
 *   if (c.req.query("decision") === "deny") return answerAuthorization(c, request, accessDenied);
 *   const session = findLoginSession(runtime, c);
 *   if (session === undefined) {
 *     return answerAuthorization(c, request, { error: "login_required", description: "Sign in first." });
 *   }
 *   return answerAuthorization(c, request, { code: issueAuthorizationCode(runtime, request, session) });
 * }
 */
export function answerAuthorization(
  c: Context,
  target: AuthorizeTarget,
  answer: AuthorizationAnswer,
): Response {
  const noStore = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
  if (target.responseMode === "web_message") {
    const origin = new URL(target.redirectUri).origin;
    const nonce = randomBytes(16).toString("base64");
    const page = renderWebMessagePage(webMessage(answer, target.state), origin, nonce);
    return c.html(page, 200, {
      ...noStore,
      "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; frame-ancestors ${origin}; base-uri 'none'`,
    });
  }
  const location = new URL(target.redirectUri);
  for (const [name, value] of redirectParameters(answer, target.state)) {
    location.searchParams.set(name, value);
  }
  return c.body(null, 302, { ...noStore, Location: location.href });
}
