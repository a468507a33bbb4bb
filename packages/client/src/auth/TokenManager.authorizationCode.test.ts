import { createHash, randomUUID } from "node:crypto";
import { isKontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import {
  type LoopbackServer,
  type RecordedRequest,
  sendJson,
  startLoopbackServer,
} from "../../test/loopbackServer";
import { Client } from "../Client";
import { AuthorizationError } from "../errors/AuthorizationError";
import { OAuth2Error } from "../errors/OAuth2Error";
import { StateMismatchError } from "../errors/StateMismatchError";
import { createPkceVerifier } from "../oauth/createPkceVerifier";
import { createState } from "../oauth/createState";
import type { ClientOptions } from "../options/ClientOptions";

// RFC 7636 Appendix B.
const rfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const redirectUri = "http://localhost:3000/callback";
const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const form = (request: RecordedRequest | undefined) =>
  Object.fromEntries(new URLSearchParams(request?.body ?? ""));

/**
 * A small authorization server: `authorize(url)` plays the user logging in and gives the redirect back;
 * the token endpoint redeems each code once, for the redirect URI and S256 challenge it was issued with
 * (the challenge is checked with node:crypto, independently of the client).
 */
async function authorizationServer() {
  const codes = new Map<string, { redirectUri: string; challenge: string | undefined; clientId: string }>();
  const started = await startLoopbackServer((request, response) => {
    const body = form(request);
    const issued = codes.get(body.code ?? "");
    codes.delete(body.code ?? "");
    const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");
    const verifierOk =
      issued?.challenge === undefined
        ? body.code_verifier === undefined
        : body.code_verifier !== undefined && s256(body.code_verifier) === issued.challenge;
    if (
      body.grant_type !== "authorization_code" ||
      issued === undefined ||
      issued.redirectUri !== body.redirect_uri ||
      !verifierOk
    ) {
      return sendJson(response, 400, {
        error: "invalid_grant",
        error_description: "Invalid code or verifier",
      });
    }
    sendJson(response, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: 3599,
      scope: "users",
    });
  });
  server = started;
  return {
    server: started,
    authorize(authUri: string): string {
      const url = new URL(authUri);
      const code = randomUUID();
      codes.set(code, {
        redirectUri: url.searchParams.get("redirect_uri") ?? "",
        challenge: url.searchParams.get("code_challenge") ?? undefined,
        clientId: url.searchParams.get("client_id") ?? "",
      });
      const back = new URL(url.searchParams.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      const state = url.searchParams.get("state");
      if (state !== null) back.searchParams.set("state", state);
      return back.toString();
    },
  };
}

function pkceClient(baseUrl: string, options: Partial<ClientOptions> = {}) {
  return new Client({
    baseUrl,
    clientId: "demo-public",
    scopes: ["users", "offline"],
    redirectUri,
    state: "state-1",
    verifier: rfcVerifier,
    ...options,
  });
}

describe("TokenManager.getAuthUri", () => {
  it("builds the authorization request of a confidential client (RFC 6749 §4.1.1)", async () => {
    const client = new Client({
      baseUrl: "https://api.example.com/prefix/",
      clientId: "demo-client",
      clientSecret: "demo-secret",
      scopes: ["users", "offline"],
      redirectUri,
      state: "state 1",
    });
    const url = new URL(await client.auth.tokenManager.getAuthUri());
    expect(`${url.origin}${url.pathname}`).toBe("https://api.example.com/prefix/api/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "demo-client",
      redirect_uri: redirectUri,
      scope: "users offline",
      state: "state 1",
    });
  });

  it("adds the S256 challenge of the verifier for a PKCE client (RFC 7636 Appendix B)", async () => {
    const url = new URL(await pkceClient("https://api.example.com").auth.tokenManager.getAuthUri());
    expect(url.searchParams.get("code_challenge")).toBe(rfcChallenge);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toBe("state-1");
    expect(url.searchParams.has("code_verifier")).toBe(false);
    expect(url.toString()).not.toContain(rfcVerifier);
  });

  it("adds more query parameters, but none the client sets itself", async () => {
    const { tokenManager } = pkceClient("https://api.example.com").auth;
    const url = new URL(await tokenManager.getAuthUri({ query: { login_hint: "demo@example.com" } }));
    expect(url.searchParams.get("login_hint")).toBe("demo@example.com");
    for (const name of [
      "state",
      "code_challenge",
      "redirect_uri",
      "client_id",
      "response_type",
      "prompt",
      "response_mode",
      "skip_mfa",
    ]) {
      await expect(tokenManager.getAuthUri({ query: { [name]: "x" } })).rejects.toThrow(TypeError);
    }
    await expect(tokenManager.getAuthUri({ skipMfa: true, query: { skip_mfa: "false" } })).rejects.toThrow(
      /skipMfa/,
    );
  });

  it("sends skip_mfa=true only when asked (by default Kontist's login includes MFA)", async () => {
    const { tokenManager } = pkceClient("https://api.example.com").auth;
    const plain = new URL(await tokenManager.getAuthUri());
    expect(plain.searchParams.has("skip_mfa")).toBe(false);
    const notSkipped = new URL(await tokenManager.getAuthUri({ skipMfa: false }));
    expect(notSkipped.searchParams.has("skip_mfa")).toBe(false);
    const skipped = new URL(await tokenManager.getAuthUri({ skipMfa: true, query: { login_hint: "d" } }));
    expect(skipped.searchParams.getAll("skip_mfa")).toEqual(["true"]);
    expect(skipped.searchParams.get("login_hint")).toBe("d");
    expect(skipped.searchParams.get("code_challenge")).toBe(rfcChallenge);
    await expect(tokenManager.getAuthUri({ skipMfa: "true" as never })).rejects.toThrow(TypeError);
  });

  it("needs a redirectUri", async () => {
    const client = new Client({ clientId: "c", clientSecret: "s" });
    await expect(client.auth.tokenManager.getAuthUri()).rejects.toThrow(/redirectUri/);
    await expect(client.auth.tokenManager.fetchToken(`${redirectUri}?code=x`)).rejects.toThrow(/redirectUri/);
  });
});

describe("TokenManager.fetchToken", () => {
  it("exchanges the code with the client secret in the body (confidential client)", async () => {
    const authorization = await authorizationServer();
    const client = new Client({
      baseUrl: authorization.server.url,
      clientId: "demo-client",
      clientSecret: "demo-secret",
      redirectUri,
      state: "state-1",
    });
    const callback = authorization.authorize(await client.auth.tokenManager.getAuthUri());
    const token = await client.auth.tokenManager.fetchToken(callback);
    const request = authorization.server.requests[0];
    expect(request?.url).toBe("/api/oauth/token");
    expect(form(request)).toEqual({
      grant_type: "authorization_code",
      code: new URL(callback).searchParams.get("code"),
      redirect_uri: redirectUri,
      client_id: "demo-client",
      client_secret: "demo-secret",
    });
    expect(request?.headers.authorization).toBeUndefined();
    expect(token.accessToken).toBe(accessToken);
    expect(token.scopes).toEqual(["users"]);
    expect(client.auth.tokenManager.token).toBe(token);
  });

  it("exchanges the code with the code_verifier and client_id (PKCE, RFC 7636 §4.5)", async () => {
    const authorization = await authorizationServer();
    const verifier = createPkceVerifier();
    const state = createState();
    const client = pkceClient(authorization.server.url, { verifier, state });
    const callback = authorization.authorize(await client.auth.tokenManager.getAuthUri());
    await client.auth.tokenManager.fetchToken(new URL(callback));
    const request = authorization.server.requests[0];
    expect(form(request)).toMatchObject({
      grant_type: "authorization_code",
      code_verifier: verifier,
      client_id: "demo-public",
    });
    expect(request?.headers.authorization).toBeUndefined();
    expect(client.auth.tokenManager.token?.accessToken).toBe(accessToken);
  });

  it("is refused by the server with a wrong verifier, and for a code used twice", async () => {
    const authorization = await authorizationServer();
    const client = pkceClient(authorization.server.url);
    const callback = authorization.authorize(await client.auth.tokenManager.getAuthUri());
    const other = pkceClient(authorization.server.url, { verifier: createPkceVerifier() });
    const wrongVerifier = await other.auth.tokenManager.fetchToken(callback).catch((e: unknown) => e);
    expect(wrongVerifier).toBeInstanceOf(OAuth2Error);
    expect(wrongVerifier).toMatchObject({ error: "invalid_grant", status: 400 });

    const fresh = authorization.authorize(await client.auth.tokenManager.getAuthUri());
    await client.auth.tokenManager.fetchToken(fresh);
    await expect(client.auth.tokenManager.fetchToken(fresh)).rejects.toMatchObject({ code: "OAUTH2_ERROR" });
  });

  it.each([
    ["another state", `${redirectUri}?code=abc&state=forged`],
    ["no state", `${redirectUri}?code=abc`],
    ["an error with another state", `${redirectUri}?error=access_denied&state=forged`],
    [
      "Kontist's JSON error without state",
      `${redirectUri}?error=${encodeURIComponent('{"type":"AccessDeniedError"}')}`,
    ],
  ])("refuses a callback with %s (RFC 6749 §10.12) and sends nothing", async (_, callback) => {
    server = await startLoopbackServer((__, response) => sendJson(response, 500, {}));
    const client = pkceClient(server.url);
    const error = await client.auth.tokenManager.fetchToken(callback).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateMismatchError);
    expect(isKontistAuthError(error, "STATE_MISMATCH")).toBe(true);
    expect((error as Error).message).not.toContain("forged");
    expect(server.requests).toHaveLength(0);
    expect(client.auth.tokenManager.token).toBeNull();
  });

  it("turns ?error= into an AuthorizationError keeping error and error_description", async () => {
    server = await startLoopbackServer((__, response) => sendJson(response, 500, {}));
    const client = pkceClient(server.url);
    const error = await client.auth.tokenManager
      .fetchToken(`${redirectUri}?error=access_denied&error_description=The+user+said+no&state=state-1`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({
      code: "AUTHORIZATION_ERROR",
      error: "access_denied",
      type: undefined,
      error_description: "The user said no",
      status: undefined,
    });
    expect((error as Error).message).toBe(
      "the authorization callback carries the error access_denied: The user said no",
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reads Kontist\'s JSON denial (error={"type":"AccessDeniedError"}): type and RFC code', async () => {
    server = await startLoopbackServer((__, response) => sendJson(response, 500, {}));
    const client = pkceClient(server.url);
    // The redirect exactly as Kontist's docs show it.
    const error = await client.auth.tokenManager
      .fetchToken(`${redirectUri}?state=state-1&error=%7B%22type%22%3A%22AccessDeniedError%22%7D`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({
      code: "AUTHORIZATION_ERROR",
      error: "access_denied",
      type: "AccessDeniedError",
      error_description: undefined,
    });
    expect((error as Error).message).toBe(
      "the authorization callback carries the error access_denied (AccessDeniedError)",
    );
    expect(server.requests).toHaveLength(0);
    expect(client.auth.tokenManager.token).toBeNull();
  });

  it("refuses a callback without a code, with a repeated parameter, or that is not an absolute URL", async () => {
    const client = pkceClient("http://127.0.0.1:9");
    const { tokenManager } = client.auth;
    const noCode = await tokenManager.fetchToken(`${redirectUri}?state=state-1`).catch((e: unknown) => e);
    expect(noCode).toBeInstanceOf(ResponseValidationError);
    expect(noCode).toMatchObject({ field: "code" });
    const repeated = await tokenManager
      .fetchToken(`${redirectUri}?code=a&code=b&state=state-1`)
      .catch((e: unknown) => e);
    expect(repeated).toMatchObject({ code: "INVALID_RESPONSE", field: "code" });
    await expect(tokenManager.fetchToken("/callback?code=a&state=state-1")).rejects.toThrow(TypeError);
  });
});

describe("finding 1: state is required in the authorization code flow", () => {
  it("finding 1: a client without state can neither build the URL nor redeem a planted callback", async () => {
    const authorization = await authorizationServer();
    const client = new Client({
      baseUrl: authorization.server.url,
      clientId: "demo-client",
      clientSecret: "demo-secret",
      redirectUri,
    });
    await expect(client.auth.tokenManager.getAuthUri()).rejects.toThrow(TypeError);
    await expect(client.auth.tokenManager.getAuthUri()).rejects.toThrow(/state/);
    // The attacker's own code, planted as the victim's callback (login CSRF): nothing is sent.
    const planted = authorization.authorize(
      `${authorization.server.url}/api/oauth/authorize?redirect_uri=${encodeURIComponent(redirectUri)}`,
    );
    await expect(client.auth.tokenManager.fetchToken(planted)).rejects.toThrow(/state/);
    expect(authorization.server.requests).toHaveLength(0);
    expect(client.auth.tokenManager.token).toBeNull();
  });

  it("finding 1: skipStateCheck: true is the named opt-out (no state sent, none expected)", async () => {
    const authorization = await authorizationServer();
    const client = new Client({
      baseUrl: authorization.server.url,
      clientId: "demo-client",
      clientSecret: "demo-secret",
      redirectUri,
      skipStateCheck: true,
    });
    const url = new URL(await client.auth.tokenManager.getAuthUri());
    expect(url.searchParams.has("state")).toBe(false);
    const token = await client.auth.tokenManager.fetchToken(authorization.authorize(url.href));
    expect(token.accessToken).toBe(accessToken);
    expect(() => new Client({ clientId: "c", skipStateCheck: "yes" as never })).toThrow(TypeError);
  });

  it("finding 1: a confidential client may use PKCE too: the challenge goes out, the verifier and secret come back", async () => {
    const authorization = await authorizationServer();
    const verifier = createPkceVerifier();
    const client = new Client({
      baseUrl: authorization.server.url,
      clientId: "demo-client",
      clientSecret: "demo-secret",
      redirectUri,
      state: createState(),
      verifier,
    });
    const url = new URL(await client.auth.tokenManager.getAuthUri());
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toBe(
      createHash("sha256").update(verifier).digest("base64url"),
    );
    await client.auth.tokenManager.fetchToken(authorization.authorize(url.href));
    expect(form(authorization.server.requests[0])).toMatchObject({
      grant_type: "authorization_code",
      code_verifier: verifier,
      client_id: "demo-client",
      client_secret: "demo-secret",
    });
  });
});
