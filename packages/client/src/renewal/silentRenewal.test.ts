import { createHash, randomUUID } from "node:crypto";
import { sleep } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { createFakeWindow, type FakeIframe, type FakeWindow } from "../../test/fakeWindow";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import { AuthorizationError } from "../errors/AuthorizationError";
import { TimeoutError } from "../errors/TimeoutError";
import { TokenRenewalError } from "../errors/TokenRenewalError";
import { createPkceVerifier } from "../oauth/createPkceVerifier";

const redirectUri = "http://localhost:3000/callback";
const configuredVerifier = createPkceVerifier();

let server: LoopbackServer | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await server?.close();
  server = undefined;
});

/**
 * An authorization server with a login session: the "page" in the iframe posts a code bound to the
 * iframe URL's challenge to the parent, from the server's origin; the token endpoint checks the verifier.
 * `form` says how: Kontist's documented `{ response: { code } }` / `{ error }` (default), or the Web
 * Message Response Mode draft's `{ type: "authorization_response", response: { code, state } }`.
 */
async function sessionServer(
  options: { loggedIn?: boolean; tokenDelay?: number; form?: "kontist" | "draft" } = {},
) {
  const { form: messageForm = "kontist" } = options;
  const challenges = new Map<string, string>();
  let issued = 0;
  server = await startLoopbackServer(async (request, response) => {
    const form = Object.fromEntries(new URLSearchParams(request.body));
    const challenge = challenges.get(form.code ?? "");
    challenges.delete(form.code ?? "");
    const s256 = createHash("sha256")
      .update(form.code_verifier ?? "")
      .digest("base64url");
    await sleep(options.tokenDelay ?? 0);
    if (form.grant_type !== "authorization_code" || challenge === undefined || challenge !== s256) {
      return sendJson(response, 400, { error: "invalid_grant" });
    }
    issued++;
    sendJson(response, 200, {
      access_token: fakeJwt({ sub: "user-1", exp: Math.floor(Date.now() / 1000) + 3600, n: issued }),
      token_type: "Bearer",
      expires_in: 3600,
    });
  });
  const origin = server.url;
  const fake = createFakeWindow((iframe: FakeIframe, window: FakeWindow) => {
    const url = new URL(iframe.src);
    if (url.origin !== origin) return;
    const state = url.searchParams.get("state") ?? "";
    const from = { origin, source: iframe.contentWindow };
    if (options.loggedIn === false) {
      window.post(
        messageForm === "kontist"
          ? { error: "login_required" }
          : { type: "authorization_response", response: { error: "login_required", state } },
        from,
      );
      return;
    }
    const code = randomUUID();
    challenges.set(code, url.searchParams.get("code_challenge") ?? "");
    window.post(
      messageForm === "kontist"
        ? { response: { code } }
        : { type: "authorization_response", response: { code, state } },
      from,
    );
  });
  vi.stubGlobal("window", fake.window);
  return { server, fake };
}

function browserClient(baseUrl: string, silentRenewalTimeout?: number) {
  return new Client({
    baseUrl,
    clientId: "demo-public",
    scopes: ["users"],
    redirectUri,
    state: "configured-state",
    verifier: configuredVerifier,
    silentRenewalTimeout,
  });
}

describe("silent renewal (PKCE client in a browser, no refresh token)", () => {
  it("renews through the authorization endpoint in a hidden iframe, with a fresh verifier and state", async () => {
    const { server, fake } = await sessionServer();
    const client = browserClient(server.url);
    const { tokenManager } = client.auth;
    tokenManager.setToken(fakeJwt({ sub: "user-1", exp: 1_600_000_000 }));
    expect(tokenManager.canRenew).toBe(true);
    const changes: unknown[] = [];
    tokenManager.onTokenChange((token) => changes.push(token));

    const token = await tokenManager.refresh();
    expect(tokenManager.token).toBe(token);
    expect(changes).toEqual([token]);
    const [iframe] = fake.iframes;
    const url = new URL(iframe?.src ?? "");
    expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/api/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "demo-public",
      redirect_uri: redirectUri,
      scope: "users",
      prompt: "none",
      response_mode: "web_message",
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")).not.toBe("configured-state");
    const form = Object.fromEntries(new URLSearchParams(server.requests[0]?.body));
    expect(form).toMatchObject({
      grant_type: "authorization_code",
      redirect_uri: redirectUri,
      client_id: "demo-public",
    });
    expect(form.code_verifier).not.toBe(configuredVerifier);
    expect(fake.listenerCount()).toBe(0);
    expect(fake.iframes.every((frame) => !frame.attached)).toBe(true);

    // A second renewal uses another verifier and state.
    await tokenManager.refresh();
    expect(new URL(fake.iframes[1]?.src ?? "").searchParams.get("state")).not.toBe(
      url.searchParams.get("state"),
    );
  });

  it("gets a token from the login session when the client has none yet", async () => {
    const { server } = await sessionServer();
    const client = browserClient(server.url);
    await expect(client.auth.tokenManager.refresh()).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("reads the draft's answer too (type and echoed state)", async () => {
    const { server } = await sessionServer({ form: "draft" });
    const client = browserClient(server.url);
    await expect(client.auth.tokenManager.refresh()).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(server.requests).toHaveLength(1);
  });

  it("shares one iframe between concurrent renewals and renews an expired token before a request", async () => {
    const { server, fake } = await sessionServer({ tokenDelay: 30 });
    const client = browserClient(server.url);
    const { tokenManager } = client.auth;
    tokenManager.setToken(fakeJwt({ sub: "user-1", exp: 1_600_000_000 }));
    const tokens = await Promise.all([
      tokenManager.refresh(),
      tokenManager.getValidToken(),
      tokenManager.refresh(),
    ]);
    expect(fake.iframes).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it.each(["kontist", "draft"] as const)(
    "rejects at once with AuthorizationError (login_required) without a login session, keeping the token (%s form)",
    async (form) => {
      const { server, fake } = await sessionServer({ loggedIn: false, form });
      const client = browserClient(server.url, 10_000);
      const stored = client.auth.tokenManager.setToken("at-1");
      const started = Date.now();
      const error = await client.auth.tokenManager.refresh().catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1_000); // not the 10 s timeout
      expect(error).toBeInstanceOf(AuthorizationError);
      expect(error).toMatchObject({ error: "login_required", type: undefined });
      expect(client.auth.tokenManager.token).toBe(stored);
      expect(server.requests).toHaveLength(0);
      expect(fake.listenerCount()).toBe(0);
    },
  );

  it("times out after silentRenewalTimeout with a TimeoutError, and the next call tries again", async () => {
    server = await startLoopbackServer((_, response) => sendJson(response, 500, {}));
    const fake = createFakeWindow(); // the iframe never answers
    vi.stubGlobal("window", fake.window);
    const client = browserClient(server.url, 100);
    const started = Date.now();
    const error = await client.auth.tokenManager.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.listenerCount()).toBe(0);
    expect(fake.iframes[0]?.attached).toBe(false);
    await expect(client.auth.tokenManager.refresh()).rejects.toBeInstanceOf(TimeoutError);
    expect(fake.iframes).toHaveLength(2);
  });

  it("is not used outside a browser, nor by confidential clients", async () => {
    expect(globalThis.window).toBeUndefined();
    const client = browserClient("http://127.0.0.1:9");
    client.auth.tokenManager.setToken("at-1");
    expect(client.auth.tokenManager.canRenew).toBe(false);
    await expect(client.auth.tokenManager.refresh()).rejects.toBeInstanceOf(TokenRenewalError);

    vi.stubGlobal("window", createFakeWindow().window);
    const confidential = new Client({ clientId: "c", clientSecret: "s", redirectUri, state: "st" });
    confidential.auth.tokenManager.setToken("at-1");
    expect(confidential.auth.tokenManager.canRenew).toBe(false);
    await expect(confidential.auth.tokenManager.refresh()).rejects.toBeInstanceOf(TokenRenewalError);
  });
});
