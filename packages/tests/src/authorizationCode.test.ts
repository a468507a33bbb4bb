import { AuthorizationError, Client, OAuth2Error, StateMismatchError } from "@kontist-auth/client";
import { createPkceVerifier, createState } from "@kontist-auth/client/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeAs, confidentialClient, type Sandbox, startSandbox } from "../test/sandboxSupport";

// The authorization-code flow (RFC 6749 §4.1) with a client secret and with PKCE (RFC 7636), client
// against sandbox; the browser's part (the login form) is played over HTTP.

let sandbox: Sandbox;
const redirectUri = "http://127.0.0.1:5173/callback";

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

function confidential(state = createState()) {
  return new Client({
    baseUrl: sandbox.url,
    ...confidentialClient,
    redirectUri,
    state,
    scopes: ["users", "offline"],
  });
}

function pkce(options: { verifier?: string; state?: string; redirect?: string } = {}) {
  return new Client({
    baseUrl: sandbox.url,
    clientId: "demo-public",
    redirectUri: options.redirect ?? redirectUri,
    state: options.state ?? createState(),
    verifier: options.verifier ?? createPkceVerifier(),
    scopes: ["users", "offline"],
  });
}

describe("authorization code with a client secret", () => {
  it("gets a token with a refresh token", async () => {
    const client = confidential();
    const callback = await authorizeAs(await client.auth.tokenManager.getAuthUri());
    const token = await client.auth.tokenManager.fetchToken(callback);
    expect(token.refreshToken).toBeDefined();
    expect(token.scopes).toEqual(["users", "offline"]);
    expect(client.auth.tokenManager.token).toBe(token);
    expect((await client.auth.tokenManager.refresh()).accessToken).not.toBe(token.accessToken);
  });

  it("refuses a reused code", async () => {
    const client = confidential();
    const callback = await authorizeAs(await client.auth.tokenManager.getAuthUri());
    await client.auth.tokenManager.fetchToken(callback);
    const error = await client.auth.tokenManager.fetchToken(callback).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
  });

  it("refuses a callback whose state is not ours, sending nothing", async () => {
    const client = confidential("state-of-this-client");
    const other = confidential("state-of-another-login");
    const callback = await authorizeAs(await other.auth.tokenManager.getAuthUri());
    await expect(client.auth.tokenManager.fetchToken(callback)).rejects.toBeInstanceOf(StateMismatchError);
    // The code was not spent: its rightful owner can still use it.
    await expect(other.auth.tokenManager.fetchToken(callback)).resolves.toBeDefined();
  });

  it("turns the user's refusal, in Kontist's JSON form, into a typed error", async () => {
    const client = confidential();
    const callback = await authorizeAs(await client.auth.tokenManager.getAuthUri(), undefined, "deny");
    expect(new URL(callback).searchParams.get("error")).toBe('{"type":"AccessDeniedError"}');
    const error = await client.auth.tokenManager.fetchToken(callback).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({
      code: "AUTHORIZATION_ERROR",
      error: "access_denied",
      type: "AccessDeniedError",
    });
  });

  it("the login includes MFA: approved on the phone, the token and its refresh token are confirmed", async () => {
    const client = confidential();
    const authUri = await client.auth.tokenManager.getAuthUri();
    expect(new URL(authUri).searchParams.has("skip_mfa")).toBe(false);
    const token = await client.auth.tokenManager.fetchToken(await authorizeAs(authUri));
    expect(token.confirmed).toBe(true);
    // expires_in is 3599, as in Kontist's docs.
    expect((token.expiresAt?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(3599_000);
    expect((await client.auth.tokenManager.refresh()).confirmed).toBe(true);
  });

  it("the login's MFA denied on the phone is a denial", async () => {
    const client = confidential();
    const callback = await authorizeAs(
      await client.auth.tokenManager.getAuthUri(),
      undefined,
      "allow",
      "deny",
    );
    await expect(client.auth.tokenManager.fetchToken(callback)).rejects.toMatchObject({
      error: "access_denied",
      type: "AccessDeniedError",
    });
  });

  it("skipMfa: the login answers at once with an unconfirmed token; MFA comes later", async () => {
    const client = confidential();
    const authUri = await client.auth.tokenManager.getAuthUri({ skipMfa: true });
    expect(new URL(authUri).searchParams.get("skip_mfa")).toBe("true");
    const token = await client.auth.tokenManager.fetchToken(await authorizeAs(authUri));
    expect(token.confirmed).toBe(false);
  });
});

describe("the token endpoint as Kontist's docs show it", () => {
  it("a refresh answer without refresh_token keeps the old one", async () => {
    const docsLike = await startSandbox({ port: 0, omitRefreshTokenOnRefresh: true });
    try {
      const client = new Client({
        baseUrl: docsLike.url,
        ...confidentialClient,
        scopes: ["users", "offline"],
      });
      const login = await client.auth.tokenManager.fetchTokenFromCredentials({
        username: "demo@example.com",
        password: "demo-password",
      });
      const first = await client.auth.tokenManager.refresh();
      const second = await client.auth.tokenManager.refresh();
      expect(first.accessToken).not.toBe(login.accessToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(first.refreshToken).toBe(login.refreshToken);
      expect(second.refreshToken).toBe(login.refreshToken);
    } finally {
      await docsLike.close();
    }
  });

  it("client credentials in the body (the docs) and as raw Basic (Kontist's SDK) both work", async () => {
    for (const clientAuthentication of ["body", "basic"] as const) {
      const client = new Client({ baseUrl: sandbox.url, ...confidentialClient, clientAuthentication });
      const token = await client.auth.tokenManager.fetchTokenFromCredentials({
        username: "demo@example.com",
        password: "demo-password",
      });
      expect(token.accessToken).not.toBe("");
    }
  });
});

describe("authorization code with PKCE (public client)", () => {
  it("gets a token; no refresh token for a loopback http redirect", async () => {
    const client = pkce();
    const authUri = new URL(await client.auth.tokenManager.getAuthUri());
    expect(authUri.searchParams.get("code_challenge_method")).toBe("S256");
    const token = await client.auth.tokenManager.fetchToken(await authorizeAs(authUri.href));
    expect(token.refreshToken).toBeUndefined();
  });

  it("gets a refresh token when the redirect URI has a custom scheme", async () => {
    const client = pkce({ redirect: "kontist-demo://callback" });
    const token = await client.auth.tokenManager.fetchToken(
      await authorizeAs(await client.auth.tokenManager.getAuthUri()),
    );
    expect(token.refreshToken).toBeDefined();
  });

  it("refuses the code with a wrong verifier", async () => {
    const state = createState();
    const honest = pkce({ state });
    const callback = await authorizeAs(await honest.auth.tokenManager.getAuthUri());
    const thief = pkce({ state }); // same state, its own verifier
    const error = await thief.auth.tokenManager.fetchToken(callback).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
  });

  it("finding 1: accepts both a verifier and a client secret; a verifier needs state and redirectUri", () => {
    expect(
      () =>
        new Client({
          baseUrl: sandbox.url,
          ...confidentialClient,
          redirectUri,
          state: createState(),
          verifier: createPkceVerifier(),
        }),
    ).not.toThrow();
    expect(
      () => new Client({ baseUrl: sandbox.url, clientId: "demo-public", verifier: createPkceVerifier() }),
    ).toThrow(/state and redirectUri/);
  });
});
