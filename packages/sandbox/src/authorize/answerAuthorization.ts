import { randomBytes } from "node:crypto";
import type { AuthorizationResponse } from "@kontist-auth/protocol";
import type { Context } from "hono";
import type { AuthorizeTarget } from "./readAuthorizeRequest";
import { renderWebMessagePage } from "./renderWebMessagePage";

/**
 * Sends an authorization answer (`code`, or `error` with `error_description`; `state` echoed when the
 * request had one) to the client (RFC 6749 §4.1.2, §4.1.2.1): a 302 to the redirect URI with the answer
 * in its query, or, with `response_mode=web_message`, a page that posts
 * `{ type: "authorization_response", response }` to the parent or opener window at the redirect URI's
 * origin.
 */
export function answerAuthorization(
  c: Context,
  target: AuthorizeTarget,
  answer: { code: string } | { error: string; description: string },
): Response {
  const response: AuthorizationResponse =
    "code" in answer ? { code: answer.code } : { error: answer.error, error_description: answer.description };
  if (target.state !== undefined) response.state = target.state;

  const noStore = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
  if (target.responseMode === "web_message") {
    const origin = new URL(target.redirectUri).origin;
    const nonce = randomBytes(16).toString("base64");
    const page = renderWebMessagePage({ type: "authorization_response", response }, origin, nonce);
    return c.html(page, 200, {
      ...noStore,
      "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; frame-ancestors ${origin}; base-uri 'none'`,
    });
  }
  const location = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(response)) {
    if (value !== undefined) location.searchParams.set(name, value);
  }
  return c.body(null, 302, { ...noStore, Location: location.href });
}
