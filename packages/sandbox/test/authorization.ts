import { createHash, randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { RunningSandbox } from "../src/index";
import { demo, postToken } from "./requests";

/** A PKCE pair (RFC 7636 §4.1, §4.2): a random verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** A redirect URI on a loopback port, as a web app registers it. */
export const loopbackRedirectUri = "http://127.0.0.1:5173/callback";

/** The authorization request URL for `params` (defaults: `demo-client`, code, the loopback redirect URI). */
export function authorizeUrl(sandbox: RunningSandbox, params: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: demo.clientId,
    redirect_uri: loopbackRedirectUri,
    state: "state-123",
    ...params,
  });
  return `${sandbox.url}/api/oauth/authorize?${query}`;
}

/** `GET /api/oauth/authorize` without following redirects. */
export function getAuthorize(
  sandbox: RunningSandbox,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(authorizeUrl(sandbox, params), { redirect: "manual", headers });
}

/** Posts the login form of the authorization page, as its "Allow" or "Deny" button would. */
export function postAuthorize(
  sandbox: RunningSandbox,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const query = Object.fromEntries(new URL(authorizeUrl(sandbox, params)).searchParams);
  return fetch(`${sandbox.url}/api/oauth/authorize`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams(query),
  });
}

/** The query parameters of a redirect answer. */
export function redirectParams(response: Response): Record<string, string> {
  expect(response.status).toBe(302);
  const location = response.headers.get("location");
  expect(location).not.toBeNull();
  return Object.fromEntries(new URL(location ?? "").searchParams);
}

/** The `name=value` of the session cookie a response sets. */
export function sessionCookie(response: Response): string {
  const setCookie = response.headers.get("set-cookie") ?? "";
  const pair = setCookie.split(";")[0] ?? "";
  expect(pair).toMatch(/^kontist_sandbox_session=/);
  return pair;
}

/** Logs the demo user in through the form; returns the code and the session cookie. */
export async function authorizeWithLogin(
  sandbox: RunningSandbox,
  params: Record<string, string> = {},
): Promise<{ code: string; cookie: string; params: Record<string, string> }> {
  const response = await postAuthorize(sandbox, {
    username: demo.email,
    password: demo.password,
    decision: "allow",
    ...params,
  });
  const answer = redirectParams(response);
  expect(answer.code).toEqual(expect.any(String));
  return { code: answer.code ?? "", cookie: sessionCookie(response), params: answer };
}

/** Exchanges an authorization code at the token endpoint. */
export function exchangeCode(
  sandbox: RunningSandbox,
  code: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return postToken(sandbox, {
    grant_type: "authorization_code",
    code,
    redirect_uri: loopbackRedirectUri,
    ...extra,
  });
}
