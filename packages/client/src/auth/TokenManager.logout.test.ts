import { randomUUID } from "node:crypto";
import { sleep } from "@kontist-auth/protocol";
import { memoryStore, type TokenStore } from "@kontist-auth/token-store";
import { isTokenStoreError } from "@kontist-auth/token-store/backend";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { createFakeWindow, type FakeIframe } from "../../test/fakeWindow";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import { createPkceVerifier } from "../oauth/createPkceVerifier";
import type { ClientOptions } from "../options/ClientOptions";

const key = "kontist-auth:c";
const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });
const stored = { accessToken, refreshToken: "rt-stored", tokenType: "Bearer", scopes: ["users"] };

let server: LoopbackServer | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  await server?.close();
  server = undefined;
});

/** A server that records every request and answers any token request with a fresh token. */
async function recordingApi(tokenDelay = 0) {
  server = await startLoopbackServer(async (_, response) => {
    await sleep(tokenDelay);
    sendJson(response, 200, { access_token: `at-${randomUUID()}`, token_type: "Bearer", expires_in: 3599 });
  });
  return server;
}

/** A store whose `delete` fails while `failDelete` is set. */
function failingStore(failDelete: boolean): TokenStore {
  const inner = memoryStore();
  return {
    get: (k) => inner.get(k),
    set: (k, token) => inner.set(k, token),
    delete: async (k) => {
      if (failDelete) throw new Error("disk on fire");
      return inner.delete(k);
    },
  };
}

function clientOf(options: Partial<ClientOptions> = {}) {
  return new Client({
    baseUrl: server?.url ?? "http://127.0.0.1:9",
    clientId: "c",
    clientSecret: "s",
    ...options,
  });
}

describe("TokenManager.logout in Node", () => {
  it("forgets the token and deletes the stored copy before it resolves; listeners get null; nothing is sent", async () => {
    const api = await recordingApi();
    const tokenStore = memoryStore();
    const client = clientOf({ tokenStore });
    const { tokenManager } = client.auth;
    await tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" });
    expect(await tokenStore.get(key)).toBeDefined();
    const seen: unknown[] = [];
    tokenManager.onTokenChange((token) => seen.push(token));
    const requestsBefore = api.requests.length;

    await tokenManager.logout();
    expect(tokenManager.token).toBeNull();
    expect(await tokenStore.get(key)).toBeUndefined();
    expect(seen).toEqual([null]);
    expect(api.requests).toHaveLength(requestsBefore);
    await expect(tokenManager.getValidToken()).rejects.toMatchObject({ code: "NO_TOKEN" });
  });

  it("deletes a stored token that was never loaded, which is then not loaded", async () => {
    const tokenStore = memoryStore();
    await tokenStore.set(key, stored);
    const { tokenManager } = clientOf({ tokenStore }).auth;
    await tokenManager.logout();
    expect(await tokenStore.get(key)).toBeUndefined();
    await expect(tokenManager.loadToken()).resolves.toBeNull();
  });

  it("rejects with the TokenStoreError of a failed delete, having forgotten the token in memory", async () => {
    const { tokenManager } = clientOf({ tokenStore: failingStore(true) }).auth;
    tokenManager.setToken(accessToken, "rt-1");
    await tokenManager.flush();
    const error = await tokenManager.logout().catch((e: unknown) => e);
    expect(isTokenStoreError(error)).toBe(true);
    expect(error).toMatchObject({ code: "TOKEN_STORE_ERROR" });
    expect(tokenManager.token).toBeNull();
  });

  it("does not install a renewal that finishes after the logout", async () => {
    await recordingApi(100);
    const { tokenManager } = clientOf().auth;
    tokenManager.setToken(accessToken, "rt-1");
    const renewal = tokenManager.refresh();
    await tokenManager.logout();
    await expect(renewal).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(tokenManager.token).toBeNull();
  });
});

describe("TokenManager.logout in a browser", () => {
  /** A DOM window whose iframes load (or not) as `loads` says; `loaded` lists the URLs that did. */
  function browserWindow(loads: (iframe: FakeIframe) => boolean = () => true) {
    const loaded: string[] = [];
    const fake = createFakeWindow((iframe) => {
      if (!loads(iframe)) return;
      loaded.push(iframe.src);
      iframe.load();
    });
    vi.stubGlobal("window", fake.window);
    return { fake, loaded };
  }

  it("loads {baseUrl}/oauth/logout in a hidden iframe, resolves once it has loaded, and removes it", async () => {
    const { fake, loaded } = browserWindow();
    const tokenStore = memoryStore();
    const client = new Client({ baseUrl: "https://api.example.com/", clientId: "c", tokenStore });
    client.auth.tokenManager.setToken(accessToken);
    await client.auth.tokenManager.logout();
    expect(loaded).toEqual(["https://api.example.com/oauth/logout"]);
    expect(fake.iframes).toHaveLength(1);
    expect(fake.iframes[0]?.attributes.get("aria-hidden")).toBe("true");
    expect(fake.iframes[0]?.style).toMatchObject({ visibility: "hidden" });
    expect(fake.iframes[0]?.attached).toBe(false);
    expect(client.auth.tokenManager.token).toBeNull();
    expect(await tokenStore.get(key)).toBeUndefined();
  });

  it("loads the logoutUri option instead, and keeps a path prefix of baseUrl by default", async () => {
    const { loaded } = browserWindow();
    const custom = new Client({ clientId: "c", logoutUri: "https://login.example.com/end?x=1" });
    await custom.auth.tokenManager.logout();
    const prefixed = new Client({ baseUrl: "https://example.com/kontist", clientId: "c" });
    await prefixed.auth.tokenManager.logout();
    const byDefault = new Client({ clientId: "c" });
    await byDefault.auth.tokenManager.logout();
    expect(loaded).toEqual([
      "https://login.example.com/end?x=1",
      "https://example.com/kontist/oauth/logout",
      "https://api.kontist.com/oauth/logout",
    ]);
  });

  it("resolves after silentRenewalTimeout when the page never loads, and removes the iframe", async () => {
    const { fake } = browserWindow(() => false);
    const client = new Client({ clientId: "c", silentRenewalTimeout: 100 });
    const started = Date.now();
    await client.auth.tokenManager.logout();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.iframes[0]?.attached).toBe(false);
  });

  it("still ends the login session when the store delete fails, then rejects", async () => {
    const { loaded } = browserWindow();
    const client = new Client({ clientId: "c", tokenStore: failingStore(true) });
    client.auth.tokenManager.setToken(accessToken);
    await client.auth.tokenManager.flush();
    await expect(client.auth.tokenManager.logout()).rejects.toMatchObject({ code: "TOKEN_STORE_ERROR" });
    expect(loaded).toHaveLength(1);
    expect(client.auth.tokenManager.token).toBeNull();
  });

  it("does not install a silent renewal answered after the logout, even from no token", async () => {
    await recordingApi();
    const origin = server?.url ?? "";
    let answer: (() => void) | undefined;
    const fake = createFakeWindow((iframe, window) => {
      if (new URL(iframe.src).pathname === "/oauth/logout") return iframe.load();
      const state = new URL(iframe.src).searchParams.get("state") ?? "";
      answer = () =>
        window.post({ response: { code: "code-1", state } }, { origin, source: iframe.contentWindow });
    });
    vi.stubGlobal("window", fake.window);
    const client = new Client({
      baseUrl: origin,
      clientId: "demo-public",
      redirectUri: "http://localhost:3000/callback",
      state: "st",
      verifier: createPkceVerifier(),
    });
    const renewal = client.auth.tokenManager.refresh();
    await vi.waitFor(() => expect(answer).toBeDefined());
    await client.auth.tokenManager.logout();
    answer?.();
    await expect(renewal).resolves.toMatchObject({ tokenType: "Bearer" });
    expect(client.auth.tokenManager.token).toBeNull();
  });

  it("refuses a logoutUri that is not an absolute http(s) URL", () => {
    for (const logoutUri of ["/oauth/logout", "javascript:alert(1)", "", "ftp://example.com/x"]) {
      expect(() => new Client({ clientId: "c", logoutUri })).toThrow(/logoutUri/);
    }
  });
});
