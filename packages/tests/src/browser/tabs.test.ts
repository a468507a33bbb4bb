import type * as kontist from "@kontist-auth/client";
import type { Client } from "@kontist-auth/client";
import { sleep } from "@kontist-auth/protocol";
import { startSandbox } from "@kontist-auth/sandbox";
import type { webStorageStore } from "@kontist-auth/token-store";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bundleForBrowser } from "../../test/browser/bundle";
import { launchChromium } from "../../test/browser/chromium";
import { type PageServer, startPageServer } from "../../test/browser/pageServer";
import { confidentialClient, demoUser, otherUser } from "../../test/sandboxSupport";

// Issue 11, item 7: two tabs of one origin in a real Chromium, each with its own client, sharing
// `webStorageStore(localStorage)`: an expired token is renewed by one tab at a time (the store's lock is a
// Web Lock, held across tabs), and a logout in one tab is followed by the other at once (the store's
// `watch`, fed by the `storage` events the browser sends to the other tabs of the origin).

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** Access tokens live 2 s, so a test can wait for one to expire. */
const accessTokenTtl = 2;

/**
 * What the test page exposes: the bundled client package and `webStorageStore`, and the tab's client with
 * what its token-change listener saw (access tokens, `null` for a cleared token). Code in `page.evaluate`
 * runs in the page, so it can use only this, not helpers of the test file.
 */
interface TabWindow {
  kontist: typeof kontist & { webStorageStore: typeof webStorageStore };
  client: Client;
  seen: (string | null)[];
  nextStorageEvent?: Promise<void>;
}

/** The outcome of one API call in a tab, and the token the tab's client holds afterwards. */
interface CallOutcome {
  ok: boolean;
  code?: string | undefined;
  noTokenError?: boolean;
  token: string | null;
  /** When the call's token requests were sent and answered (`Date.now()`, ms). */
  tokenRequests?: TokenRequestTimes[];
}

/** When one token request was sent and when its answer arrived. */
interface TokenRequestTimes {
  sent: number;
  answered: number;
}

let sandbox: Sandbox;
let app: PageServer;
let browser: Browser;
let context: BrowserContext;
let tabs: [Page, Page];

beforeAll(async () => {
  app = await startPageServer(
    await bundleForBrowser(`import * as kontist from "@kontist-auth/client";
import { webStorageStore } from "@kontist-auth/token-store";
window.kontist = { ...kontist, webStorageStore };`),
  );
  sandbox = await startSandbox({ port: 0, accessTokenTtl });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sandbox?.close();
});

beforeEach(async () => {
  // One context is one browser profile: its pages are tabs sharing localStorage, Web Locks and events.
  context = await browser.newContext();
  tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await tab.goto(`${app.url}/`);
    await tab.waitForFunction(() => "kontist" in window);
  }
});

afterEach(async () => {
  await context?.close();
  await sandbox.test.clearFaults();
});

/**
 * Makes the tab's client and loads the stored token: the confidential seeded client (so its token has a
 * refresh token, and each renewal is one `refresh_token` grant the sandbox counts), keeping its token in
 * `localStorage`, with the platform's Web Locks unless `locks` is false. Returns the loaded access token.
 */
function openClient(tab: Page, locks = true): Promise<string | null> {
  return tab.evaluate(
    async ({ baseUrl, credentials, locks }) => {
      const w = window as unknown as TabWindow;
      const { Client, webStorageStore } = w.kontist;
      w.client = new Client({
        baseUrl,
        ...credentials,
        scopes: ["users", "offline"],
        refreshLeeway: 0,
        tokenStore: webStorageStore(localStorage, locks ? {} : { locks: null }),
      });
      const loaded = await w.client.auth.tokenManager.loadToken();
      w.seen = [];
      w.client.auth.tokenManager.onTokenChange((token) => w.seen.push(token?.accessToken ?? null));
      return loaded?.accessToken ?? null;
    },
    { baseUrl: sandbox.url, credentials: confidentialClient, locks },
  );
}

/** Logs the tab's client in as `user` with the password grant; the token lands in localStorage. */
function logIn(tab: Page, user: { username: string; password: string }): Promise<string> {
  return tab.evaluate(async (user) => {
    const token = await (window as unknown as TabWindow).client.auth.tokenManager.fetchTokenFromCredentials(
      user,
    );
    return token.accessToken;
  }, user);
}

/**
 * One authenticated REST call in the tab (`GET /api/user/mfa/challenges`), the token held afterwards, and
 * when the tab's token requests during the call were sent and answered (the page's `fetch` is wrapped
 * for the call to note the times; the requests themselves go out unchanged).
 */
function callApi(tab: Page): Promise<CallOutcome> {
  return tab.evaluate(async () => {
    const { client, kontist } = window as unknown as TabWindow;
    const token = () => client.auth.tokenManager.token?.accessToken ?? null;
    const tokenRequests: TokenRequestTimes[] = [];
    const fetch = window.fetch;
    window.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.endsWith("/api/oauth/token")) return fetch(input, init);
      const sent = Date.now();
      try {
        return await fetch(input, init);
      } finally {
        tokenRequests.push({ sent, answered: Date.now() });
      }
    };
    try {
      await client.request({ method: "GET", path: "/api/user/mfa/challenges" });
      return { ok: true, token: token(), tokenRequests };
    } catch (error) {
      const code = (error as { code?: string }).code;
      const noTokenError = kontist.isKontistAuthError(error, "NO_TOKEN");
      return { ok: false, code, noTokenError, token: token(), tokenRequests };
    } finally {
      window.fetch = fetch;
    }
  });
}

/** Whether two token requests were under way at the same time. */
function overlap([first, second]: TokenRequestTimes[]): boolean {
  if (first === undefined || second === undefined) return false;
  return first.sent < second.answered && second.sent < first.answered;
}

/** The access token in the tab's localStorage (the store's item), or `null`. */
function storedAccessToken(tab: Page): Promise<string | null> {
  return tab.evaluate(() => {
    const item = localStorage.getItem("@kontist-auth/token-store:kontist-auth:demo-client");
    return item === null ? null : (JSON.parse(item) as { token: { accessToken: string } }).token.accessToken;
  });
}

/** What the tab's client holds, and what its token-change listener saw since {@link openClient}. */
function tabState(tab: Page): Promise<{ token: string | null; seen: (string | null)[] }> {
  return tab.evaluate(() => {
    const { client, seen } = window as unknown as TabWindow;
    return { token: client.auth.tokenManager.token?.accessToken ?? null, seen };
  });
}

/** Both tabs hold the token tab A logged in with; resolves once it has expired. */
async function sharedExpiredToken(locks: boolean): Promise<string> {
  const [tabA, tabB] = tabs;
  await openClient(tabA, locks);
  const loggedIn = await logIn(tabA, demoUser);
  expect(await openClient(tabB, locks)).toBe(loggedIn);
  await sleep(accessTokenTtl * 1000 + 300);
  return loggedIn;
}

/**
 * Both tabs call the API at once. The token endpoint answers after 1 s, so the second tab asks for
 * its token while the first one's refresh is still under way (whichever starts first).
 */
async function bothCallAtOnce(): Promise<{
  outcomes: CallOutcome[];
  refreshes: number;
  tokenRequests: TokenRequestTimes[];
}> {
  const before = await sandbox.test.grantCount("refresh_token");
  await sandbox.test.injectFault({
    route: "POST /api/oauth/token",
    fault: "delay",
    delayMs: 1_000,
    times: 2,
  });
  const outcomes = await Promise.all(tabs.map((tab) => callApi(tab)));
  return {
    outcomes,
    refreshes: (await sandbox.test.grantCount("refresh_token")) - before,
    tokenRequests: outcomes.flatMap((outcome) => outcome.tokenRequests ?? []),
  };
}

describe("two tabs sharing webStorageStore(localStorage) in Chromium", () => {
  it("renew an expired token one at a time: the Web Lock orders the tabs, which end on one token", async () => {
    const expired = await sharedExpiredToken(true);
    const { outcomes, refreshes, tokenRequests } = await bothCallAtOnce();

    expect(outcomes.map(({ ok }) => ok)).toEqual([true, true]);
    // The second tab's renewal starts only once the first one's token request has been answered: it
    // adopts the token the first tab stored, or — when Chromium has not yet carried that write to its
    // process (see the token-store README) — renews after it. Never two renewals at once.
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(refreshes).toBeLessThanOrEqual(2);
    expect(tokenRequests).toHaveLength(refreshes);
    if (tokenRequests.length === 2) expect(overlap(tokenRequests)).toBe(false);
    // Both tabs end on the newest token, which is also the stored one.
    const newest = await storedAccessToken(tabs[0]);
    expect(newest).not.toBe(expired);
    for (const tab of tabs) {
      await tab.waitForFunction(
        (newest) => (window as unknown as TabWindow).client.auth.tokenManager.token?.accessToken === newest,
        newest,
        { timeout: 5_000 },
      );
    }
    expect(await storedAccessToken(tabs[1])).toBe(newest);
  });

  it("without the Web Lock (control: `locks: null`), the same race makes both tabs renew at once", async () => {
    await sharedExpiredToken(false);
    const { refreshes, tokenRequests } = await bothCallAtOnce();
    // So the ordering above is real, and it is the lock that gives it.
    expect(refreshes).toBe(2);
    expect(overlap(tokenRequests)).toBe(true);
  });

  it("a logout in one tab is seen by the other: its listener gets null, its next call fails with NO_TOKEN", async () => {
    const [tabA, tabB] = tabs;
    await openClient(tabA);
    await logIn(tabA, demoUser);
    await openClient(tabB);
    expect(await callApi(tabB)).toMatchObject({ ok: true });

    await tabA.evaluate(() => (window as unknown as TabWindow).client.auth.tokenManager.logout());
    // No call in tab B: the storage event alone tells its client.
    await tabB.waitForFunction(() => (window as unknown as TabWindow).seen.includes(null), undefined, {
      timeout: 5_000,
    });

    expect(await tabState(tabB)).toMatchObject({ token: null });
    expect((await tabState(tabB)).seen.at(-1)).toBeNull();
    expect(await callApi(tabB)).toEqual({
      ok: false,
      code: "NO_TOKEN",
      noTokenError: true,
      token: null,
      tokenRequests: [],
    });
    expect(await storedAccessToken(tabB)).toBeNull();
  });

  it("a token the other tab renews is adopted at once, another user's never", async () => {
    const [tabA, tabB] = tabs;
    await openClient(tabA);
    const first = await logIn(tabA, demoUser);
    await openClient(tabB);

    // The same user, renewed in tab A: tab B takes it up without a call (one refresh, tab A's).
    const renewed = await tabA.evaluate(async () => {
      const token = await (window as unknown as TabWindow).client.auth.tokenManager.refresh();
      return token.accessToken;
    });
    expect(renewed).not.toBe(first);
    await tabB.waitForFunction(
      (renewed) => (window as unknown as TabWindow).seen.includes(renewed),
      renewed,
      { timeout: 5_000 },
    );
    expect(await tabState(tabB)).toEqual({ token: renewed, seen: [renewed] });

    // Another user logs in under the same key in tab A: tab B keeps its own user's token.
    await tabB.evaluate(() => {
      (window as unknown as TabWindow).nextStorageEvent = new Promise<void>((resolve) => {
        addEventListener("storage", () => setTimeout(resolve, 200), { once: true });
      });
    });
    const others = await logIn(tabA, otherUser);
    // Tab B got the event, and had 200 ms to follow it.
    await tabB.evaluate(() => (window as unknown as TabWindow).nextStorageEvent);
    expect(await storedAccessToken(tabB)).toBe(others);
    expect(await tabState(tabB)).toEqual({ token: renewed, seen: [renewed] });
  });
});
