import type * as kontist from "@kontist-auth/client";
import type { Client } from "@kontist-auth/client";
import { parseResponse, sandboxPaths, sandboxStatsSchema } from "@kontist-auth/protocol";
import { startSandbox } from "@kontist-auth/sandbox";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { injectFault } from "../support/sandboxSupport";
import { bundleForBrowser } from "./bundle";
import { launchChromium } from "./chromium";
import { type PageServer, startPageServer } from "./pageServer";

// Silent renewal (issue 3, item 2) in a real Chromium: a PKCE app on one loopback origin, the sandbox on
// another port of the same host, the renewal in a hidden iframe answered by `response_mode=web_message`.

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * What the test page exposes: the bundled client package, and the app's client once logged in. (Code in
 * `page.evaluate` runs in the page, so it can use only this, not helpers of the test file.)
 */
interface AppWindow {
  kontist: typeof kontist;
  client: Client;
}

let sandbox: Sandbox;
let app: PageServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  app = await startPageServer(
    await bundleForBrowser(`import * as kontist from "@kontist-auth/client"; window.kontist = kontist;`),
  );
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sandbox?.close();
});

beforeEach(async () => {
  await page?.context().close();
  page = await (await browser.newContext()).newPage();
});

async function authorizationCodeGrants(): Promise<number> {
  const response = await fetch(new URL(sandboxPaths.stats, sandbox.url));
  const stats = parseResponse(sandboxStatsSchema, await response.json(), "stats");
  return stats.grants.authorization_code ?? 0;
}

/**
 * Logs in with PKCE through the sandbox's login page and leaves the page on `/callback` with a client
 * (`window.client`) holding the token, as an app would after its redirect.
 */
async function logInWithPkce(options: { silentRenewalTimeout?: number } = {}) {
  await page.goto(`${app.url}/`);
  await page.waitForFunction(() => "kontist" in window);
  const authUri = await page.evaluate(async (sandboxUrl) => {
    const { Client, createPkceVerifier, createState } = (window as unknown as AppWindow).kontist;
    const pkce = { verifier: createPkceVerifier(), state: createState() };
    sessionStorage.setItem("pkce", JSON.stringify(pkce));
    const client = new Client({
      baseUrl: sandboxUrl,
      clientId: "demo-public",
      redirectUri: `${location.origin}/callback`,
      scopes: ["users"],
      ...pkce,
    });
    return client.auth.tokenManager.getAuthUri();
  }, sandbox.url);

  await page.goto(authUri);
  await page.fill("#username", "demo@example.com");
  await page.fill("#password", "demo-password");
  await page.click('button[value="allow"]');
  await page.waitForURL(/\/callback\?/);
  await page.waitForFunction(() => "kontist" in window);

  return page.evaluate(
    async ({ sandboxUrl, silentRenewalTimeout }) => {
      const { Client } = (window as unknown as AppWindow).kontist;
      const pkce = JSON.parse(sessionStorage.getItem("pkce") ?? "{}");
      const client = new Client({
        baseUrl: sandboxUrl,
        clientId: "demo-public",
        redirectUri: `${location.origin}/callback`,
        scopes: ["users"],
        ...(silentRenewalTimeout === undefined ? {} : { silentRenewalTimeout }),
        ...pkce,
      });
      (window as unknown as AppWindow).client = client;
      const token = await client.auth.tokenManager.fetchToken(location.href);
      return { hasRefreshToken: token.refreshToken !== undefined, sub: token.claims?.sub };
    },
    { sandboxUrl: sandbox.url, silentRenewalTimeout: options.silentRenewalTimeout },
  );
}

describe("silent renewal in Chromium", () => {
  it("renews a PKCE token without a refresh token in a hidden iframe, and cleans up", async () => {
    const login = await logInWithPkce();
    expect(login.hasRefreshToken).toBe(false); // loopback http redirect: no refresh token for PKCE clients
    const grantsBefore = await authorizationCodeGrants();

    const result = await page.evaluate(async () => {
      const client = (window as unknown as AppWindow).client;
      const before = client.auth.tokenManager.token?.accessToken;
      const [first, second] = await Promise.all([
        client.auth.tokenManager.refresh(),
        client.auth.tokenManager.refresh(),
      ]);
      return {
        changed: first.accessToken !== before,
        shared: first === second,
        sub: first.claims?.sub,
        current: client.auth.tokenManager.token === first,
        iframes: document.querySelectorAll("iframe").length,
      };
    });

    expect(result).toEqual({ changed: true, shared: true, sub: login.sub, current: true, iframes: 0 });
    expect((await authorizationCodeGrants()) - grantsBefore).toBe(1);
  });

  it("ignores a forged answer posted by another window", async () => {
    await logInWithPkce();
    const result = await page.evaluate(async () => {
      const client = (window as unknown as AppWindow).client;
      const renewal = client.auth.tokenManager.refresh();
      // Same shape, posted by the app's own window rather than the renewal iframe: must be ignored.
      for (const state of [undefined, "forged"]) {
        window.postMessage({ type: "authorization_response", response: { code: "forged-code", state } }, "*");
      }
      const token = await renewal;
      return {
        ok: typeof token.accessToken === "string",
        iframes: document.querySelectorAll("iframe").length,
      };
    });
    expect(result).toEqual({ ok: true, iframes: 0 });
  });

  it("fails with login_required once the login session is gone, and removes the iframe", async () => {
    await logInWithPkce();
    await page.context().clearCookies();
    const result = await page.evaluate(async () => {
      const client = (window as unknown as AppWindow).client;
      try {
        await client.auth.tokenManager.refresh();
        return { code: "none" };
      } catch (error) {
        const { code, error: oauthError } = error as { code?: string; error?: string };
        return { code, error: oauthError, iframes: document.querySelectorAll("iframe").length };
      }
    });
    expect(result).toEqual({ code: "AUTHORIZATION_ERROR", error: "login_required", iframes: 0 });
  });

  it("times out when the authorization server does not answer, and removes the iframe", async () => {
    await logInWithPkce({ silentRenewalTimeout: 1_000 });
    await injectFault(sandbox, { route: "GET /api/oauth/authorize", fault: "delay", delayMs: 5_000 });
    const result = await page.evaluate(async () => {
      const client = (window as unknown as AppWindow).client;
      const started = performance.now();
      try {
        await client.auth.tokenManager.refresh();
        return { code: "none" };
      } catch (error) {
        return {
          code: (error as { code?: string }).code,
          afterMs: performance.now() - started,
          iframes: document.querySelectorAll("iframe").length,
        };
      }
    });
    expect(result).toMatchObject({ code: "TIMEOUT", iframes: 0 });
    expect(result.afterMs).toBeGreaterThanOrEqual(900);
    expect(result.afterMs).toBeLessThan(3_000);
  });
});
