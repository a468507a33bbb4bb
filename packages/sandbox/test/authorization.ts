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

/**
 * Logs the demo user in through the form with `skip_mfa=true` (unless `params` sets `skip_mfa`), so the
 * login answers a code at once; returns the code and the session cookie.
 */
export async function authorizeWithLogin(
  sandbox: RunningSandbox,
  params: Record<string, string> = {},
): Promise<{ code: string; cookie: string; params: Record<string, string> }> {
  const response = await postAuthorize(sandbox, {
    username: demo.email,
    password: demo.password,
    decision: "allow",
    skip_mfa: "true",
    ...params,
  });
  const answer = redirectParams(response);
  expect(answer.code).toEqual(expect.any(String));
  return { code: answer.code ?? "", cookie: sessionCookie(response), params: answer };
}

/** A login waiting for MFA, as its waiting page shows it. */
export interface PendingMfaLogin {
  /** The push challenge's id, read from the page's `data-mfa-challenge-id`. */
  challengeId: string;
  /** The hidden fields of the page's form: the request's parameters, `pending_login`, `mfa_challenge_id`. */
  fields: Record<string, string>;
  /** The page itself. */
  page: string;
}

const entities: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};
const unescapeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

/** Reads the MFA waiting page (fails the test unless it is one). */
export function readMfaWaitingPage(page: string): PendingMfaLogin {
  expect(page).toContain("Waiting for your approval on your phone");
  const challengeId = /data-mfa-challenge-id="([^"]+)"/.exec(page)?.[1];
  expect(challengeId).toBeDefined();
  const fields: Record<string, string> = {};
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(name ?? "")] = unescapeHtml(value ?? "");
  }
  expect(fields.mfa_challenge_id).toBe(challengeId);
  expect(fields.pending_login).toEqual(expect.any(String));
  return { challengeId: challengeId ?? "", fields, page };
}

/**
 * Posts the demo user's credentials without `skip_mfa`: the login's MFA step. Fails the test unless the
 * answer is the waiting page (200, no session cookie yet).
 */
export async function startMfaLogin(
  sandbox: RunningSandbox,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<PendingMfaLogin> {
  const response = await postAuthorize(
    sandbox,
    { username: demo.email, password: demo.password, decision: "allow", ...params },
    headers,
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("set-cookie")).toBeNull();
  return readMfaWaitingPage(await response.text());
}

/** Posts the waiting page's form: "Continue" (to `/api/oauth/authorize`) or, with `path`, another button. */
export function continueMfaLogin(
  sandbox: RunningSandbox,
  login: PendingMfaLogin,
  {
    path = "/api/oauth/authorize",
    decision = "allow",
    headers = {},
  }: { path?: string; decision?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams({ ...login.fields, decision }),
  });
}

/**
 * Logs the demo user in with MFA: credentials, approval on the phone (the sandbox route), "Continue";
 * returns the code (of a confirmed token), the session cookie and the challenge id.
 */
export async function authorizeWithMfa(
  sandbox: RunningSandbox,
  params: Record<string, string> = {},
): Promise<{ code: string; cookie: string; params: Record<string, string>; challengeId: string }> {
  const login = await startMfaLogin(sandbox, params);
  await sandbox.test.approveMfaChallenge(login.challengeId);
  const response = await continueMfaLogin(sandbox, login);
  const answer = redirectParams(response);
  expect(answer.code).toEqual(expect.any(String));
  return {
    code: answer.code ?? "",
    cookie: sessionCookie(response),
    params: answer,
    challengeId: login.challengeId,
  };
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
