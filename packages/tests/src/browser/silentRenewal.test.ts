import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type * as kontist from "@kontist-auth/client";
import type { Client } from "@kontist-auth/client";
import type * as kontistOAuth from "@kontist-auth/client/oauth";
import { defaultSeeds, startSandbox } from "@kontist-auth/sandbox";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bundleForBrowser } from "../../test/browser/bundle";
import { launchChromium } from "../../test/browser/chromium";
import { type PageServer, startPageServer } from "../../test/browser/pageServer";

// Silent renewal (issue 3, item 2) in a real Chromium: a PKCE app on one loopback origin, the sandbox on
// another port of the same host, the renewal in a hidden iframe answered by `response_mode=web_message`.
// Also the login with MFA (Kontist's default), the JSON denial, and the logout in a hidden iframe
// (issue 8).

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** The seeded clients, `demo-public` also allowed `redirectUri` exactly. */
function withRedirectUri(redirectUri: string) {
  return defaultSeeds.clients.map((client) =>
    client.id === "demo-public" ? { ...client, redirectUris: [...client.redirectUris, redirectUri] } : client,
  );
}

/**
 * What the test page exposes: the bundled client package (its main entry and `/oauth`), and the app's
 * client once logged in. (Code in `page.evaluate` runs in the page, so it can use only this, not helpers
 * of the test file.)
 */
interface AppWindow {
  kontist: typeof kontist & typeof kontistOAuth;
  client: Client;
}

let sandbox: Sandbox;
let app: PageServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startPageServer(
    await bundleForBrowser(
      `import * as kontist from "@kontist-auth/client"; import * as oauth from "@kontist-auth/client/oauth"; window.kontist = { ...kontist, ...oauth };`,
    ),
  );
  // The app's redirect URI registered exactly: web messages go only to such URIs (issue 9, finding 15).
  sandbox = await startSandbox({ port: 0, clients: withRedirectUri(`${app.url}/callback`) });
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
  return sandbox.test.grantCount("authorization_code");
}

/** Options of {@link logInWithPkce}. */
interface LogInOptions {
  silentRenewalTimeout?: number;
  /**
   * Ask for `skip_mfa=true` (default here, where the tests are about renewal); `false` logs in with MFA,
   * Kontist's default: the user approves the push challenge on their phone before the code is issued.
   */
  skipMfa?: boolean;
  /** The client's `logoutUri` option. */
  logoutUri?: string;
  /** `"deny"` presses Deny on the login page instead of logging in. */
  decision?: "allow" | "deny";
}

/** The options of the app's `Client`, the same before and after the redirect (no functions: it crosses into the page). */
function appClientOptions(options: LogInOptions) {
  return {
    baseUrl: sandbox.url,
    clientId: "demo-public",
    scopes: ["users"],
    ...(options.silentRenewalTimeout === undefined
      ? {}
      : { silentRenewalTimeout: options.silentRenewalTimeout }),
    ...(options.logoutUri === undefined ? {} : { logoutUri: options.logoutUri }),
  };
}

/** Approves the pending login's push challenge as the user's phone does, then continues on the page. */
async function approveOnPhone() {
  const form = page.locator("form[data-mfa-challenge-id]");
  const challengeId = await form.getAttribute("data-mfa-challenge-id", { timeout: 5_000 });
  if (challengeId === null) throw new Error("the login shows no MFA challenge");
  await sandbox.test.approveMfaChallenge(challengeId);
  await page.click('form[data-mfa-challenge-id] button[value="allow"]'); // "Continue"
}

/**
 * Logs in with PKCE through the sandbox's login page and leaves the page on `/callback` with a client
 * (`window.client`) holding the token, as an app would after its redirect.
 */
async function logInWithPkce(options: LogInOptions = {}) {
  const { skipMfa = true, decision = "allow" } = options;
  await page.goto(`${app.url}/`);
  await page.waitForFunction(() => "kontist" in window);
  const authUri = await page.evaluate(
    async ({ clientOptions, skipMfa }) => {
      const { Client, createPkceVerifier, createState } = (window as unknown as AppWindow).kontist;
      const pkce = { verifier: createPkceVerifier(), state: createState() };
      sessionStorage.setItem("pkce", JSON.stringify(pkce));
      const client = new Client({ ...clientOptions, redirectUri: `${location.origin}/callback`, ...pkce });
      return client.auth.tokenManager.getAuthUri({ skipMfa });
    },
    { clientOptions: appClientOptions(options), skipMfa },
  );
  expect(new URL(authUri).searchParams.get("skip_mfa")).toBe(skipMfa ? "true" : null);

  await page.goto(authUri);
  await page.fill("#username", "demo@example.com");
  await page.fill("#password", "demo-password");
  await page.click(`button[value="${decision}"]`);
  if (decision === "allow" && !skipMfa) await approveOnPhone();
  await page.waitForURL(/\/callback\?/);
  await page.waitForFunction(() => "kontist" in window);

  return page.evaluate(async (clientOptions) => {
    const { Client } = (window as unknown as AppWindow).kontist;
    const pkce = JSON.parse(sessionStorage.getItem("pkce") ?? "{}");
    const client = new Client({ ...clientOptions, redirectUri: `${location.origin}/callback`, ...pkce });
    (window as unknown as AppWindow).client = client;
    try {
      const token = await client.auth.tokenManager.fetchToken(location.href);
      return {
        hasRefreshToken: token.refreshToken !== undefined,
        sub: token.claims?.sub,
        confirmed: token.confirmed,
      };
    } catch (error) {
      const { code, error: oauthError, type } = error as { code?: string; error?: string; type?: string };
      return { failed: { code, error: oauthError, type, query: location.search } };
    }
  }, appClientOptions(options));
}

/**
 * A loopback server standing in for another logout endpoint: records the requests it gets, and answers
 * each after `delayMs`.
 */
async function startRecordingServer(delayMs = 0) {
  const requests: { method: string; url: string }[] = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? "", url: request.url ?? "" });
    setTimeout(() => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<p>signed out</p>");
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Logs out in the page; reports the token, the listener's calls and the iframes left afterwards. */
function logOutInPage() {
  return page.evaluate(async () => {
    const client = (window as unknown as AppWindow).client;
    const seen: unknown[] = [];
    client.auth.tokenManager.onTokenChange((token) => seen.push(token));
    const started = performance.now();
    await client.auth.tokenManager.logout();
    return {
      afterMs: performance.now() - started,
      token: client.auth.tokenManager.token,
      seen,
      iframes: document.querySelectorAll("iframe").length,
    };
  });
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
      // Same shapes, posted by the app's own window rather than the renewal iframe: must be ignored,
      // Kontist's (no type, no state; an error) as well as the draft's.
      for (const state of [undefined, "forged"]) {
        window.postMessage({ type: "authorization_response", response: { code: "forged-code", state } }, "*");
      }
      window.postMessage({ response: { code: "forged-code" } }, "*");
      window.postMessage({ error: "login_required" }, "*");
      window.postMessage({ error: { type: "LoginRequiredError" } }, "*");
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
    await sandbox.test.injectFault({ route: "GET /api/oauth/authorize", fault: "delay", delayMs: 5_000 });
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

describe("login with MFA and the denial in Chromium", () => {
  it("logs in with MFA by default: the code yields a confirmed token, and so does a silent renewal", async () => {
    const login = await logInWithPkce({ skipMfa: false });
    expect(login).toMatchObject({ confirmed: true });
    const renewed = await page.evaluate(async () => {
      const token = await (window as unknown as AppWindow).client.auth.tokenManager.refresh();
      return { confirmed: token.confirmed, iframes: document.querySelectorAll("iframe").length };
    });
    expect(renewed).toEqual({ confirmed: true, iframes: 0 });
  });

  it("with skipMfa, logs in without the phone and the token is not confirmed", async () => {
    const login = await logInWithPkce({ skipMfa: true });
    expect(login).toMatchObject({ confirmed: false });
  });

  it("reads Kontist's JSON denial: AccessDeniedError, access_denied", async () => {
    const login = await logInWithPkce({ decision: "deny" });
    expect(login).toMatchObject({
      failed: { code: "AUTHORIZATION_ERROR", error: "access_denied", type: "AccessDeniedError" },
    });
    const query = new URLSearchParams((login as { failed: { query: string } }).failed.query);
    expect(query.get("error")).toBe('{"type":"AccessDeniedError"}');
  });
});

describe("logout in Chromium", () => {
  it("loads the logoutUri in a hidden iframe, resolves once it has loaded, and removes it", async () => {
    const logoutServer = await startRecordingServer(700);
    try {
      await logInWithPkce({ logoutUri: `${logoutServer.url}/end-session?from=test` });
      const result = await logOutInPage();
      expect(logoutServer.requests).toEqual([{ method: "GET", url: "/end-session?from=test" }]);
      expect(result).toMatchObject({ token: null, seen: [null], iframes: 0 });
      // It waited for the page (answered after 700 ms), not the 10 s timeout.
      expect(result.afterMs).toBeGreaterThanOrEqual(650);
      expect(result.afterMs).toBeLessThan(5_000);
    } finally {
      await logoutServer.close();
    }
  });

  it("resolves after silentRenewalTimeout when the logout page does not load, and removes the iframe", async () => {
    // A port nobody listens on: Chromium shows its error page in the iframe (which still fires load) or
    // never loads; either way logout() resolves and the iframe goes.
    const unused = await startRecordingServer();
    await unused.close();
    await logInWithPkce({ logoutUri: `${unused.url}/oauth/logout`, silentRenewalTimeout: 1_000 });
    const result = await logOutInPage();
    expect(result).toMatchObject({ token: null, iframes: 0 });
    expect(result.afterMs).toBeLessThan(3_000);
  });

  it("ends the sandbox's login session at {baseUrl}/oauth/logout: the next silent renewal needs a login", async () => {
    await logInWithPkce();
    const before = (await sandbox.test.stats()).requests["GET /oauth/logout"] ?? 0;
    const result = await logOutInPage();
    expect(result).toMatchObject({ token: null, seen: [null], iframes: 0 });
    expect(result.afterMs).toBeLessThan(5_000);
    expect(((await sandbox.test.stats()).requests["GET /oauth/logout"] ?? 0) - before).toBe(1);

    // The same browser, no cookie cleared by the test: the server ended the session.
    const renewal = await page.evaluate(async () => {
      try {
        await (window as unknown as AppWindow).client.auth.tokenManager.refresh();
        return { code: "none" };
      } catch (error) {
        const { code, error: oauthError } = error as { code?: string; error?: string };
        return { code, error: oauthError, iframes: document.querySelectorAll("iframe").length };
      }
    });
    expect(renewal).toEqual({ code: "AUTHORIZATION_ERROR", error: "login_required", iframes: 0 });
  });
});
