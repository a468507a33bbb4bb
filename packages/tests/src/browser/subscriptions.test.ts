import type * as kontist from "@kontist-auth/client";
import type * as kontistOAuth from "@kontist-auth/client/oauth";
import { defaultSeeds } from "@kontist-auth/sandbox";
import type { Browser, Page, WebSocket as PageWebSocket } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { bundleForBrowser } from "../../test/browser/bundle";
import { launchChromium } from "../../test/browser/chromium";
import { type PageServer, startPageServer } from "../../test/browser/pageServer";
import { demoUser, type Sandbox, startSandbox } from "../../test/sandboxSupport";
import {
  bookInOrder,
  bookUntilDelivered,
  graphQLHandshakes,
  type NewTransaction,
  newTransaction,
} from "../../test/subscriptionSupport";

// Issue 14: GraphQL subscriptions in a real Chromium, through the browser's own WebSocket (no
// `webSocketImpl`): events arrive, an access token that expires mid-stream is renewed once and the events
// after the reconnection arrive, and unsubscribe and an AbortSignal end subscriptions, the last one
// closing the socket. The app is a browser app as Kontist's docs describe one: a public (PKCE) client that
// logs in with MFA (approved on the phone) and, having no refresh token, renews its token silently in a
// hidden iframe.

/**
 * What the test page exposes: the bundled client package, and the app's subscriptions (code in
 * `page.evaluate` runs in the page, so it can use only this, not helpers of the test file).
 */
interface AppWindow {
  kontist: typeof kontist & typeof kontistOAuth;
  app: {
    client: kontist.Client;
    /** The ids of the transactions each subscription received, by name. */
    received: Record<string, string[]>;
    /** The codes of the errors each subscription ended with, by name. */
    errors: Record<string, string[]>;
    /**
     * How each for await loop ended, by name: "done" (the loop ended), or what it threw: a
     * `KontistAuthError`'s code, else the error's name (`AbortError`).
     */
    ended: Record<string, string>;
    unsubscribe: Record<string, () => void>;
    aborts: Record<string, AbortController>;
  };
}

/** Access tokens of `shortLived` live 5 s, so a test can wait for one to expire mid-stream. */
const accessTokenTtl = 5;

let sandbox: Sandbox;
let shortLived: Sandbox;
let app: PageServer;
let browser: Browser;
let page: Page;
/** The WebSockets the page opened, as Chromium reports them, with the frames each received. */
let sockets: { socket: PageWebSocket; frames: string[] }[];

beforeAll(async () => {
  app = await startPageServer(
    await bundleForBrowser(
      `import * as kontist from "@kontist-auth/client"; import * as oauth from "@kontist-auth/client/oauth"; window.kontist = { ...kontist, ...oauth };`,
    ),
  );
  // The app's redirect URI registered exactly: the silent renewal's web message goes only to such a URI.
  const clients = defaultSeeds.clients.map((client) =>
    client.id === "demo-public"
      ? { ...client, redirectUris: [...client.redirectUris, `${app.url}/callback`] }
      : client,
  );
  sandbox = await startSandbox({ port: 0, clients });
  shortLived = await startSandbox({ port: 0, clients, accessTokenTtl });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sandbox?.close();
  await shortLived?.close();
});

beforeEach(async () => {
  await page?.context().close();
  page = await (await browser.newContext()).newPage();
  sockets = [];
  page.on("websocket", (socket) => {
    const frames: string[] = [];
    socket.on("framereceived", ({ payload }) => frames.push(String(payload)));
    sockets.push({ socket, frames });
  });
  await page.goto(`${app.url}/`);
  await page.waitForFunction(() => "kontist" in window);
});

/**
 * Logs the app in to `at` as the demo user and leaves `window.app` on the page: a `demo-public` client
 * (PKCE) that renews its token only when it must (`refreshLeeway` 0), using the browser's WebSocket. The
 * login goes through the sandbox's login page with MFA: the test approves the push challenge as the
 * user's phone, then presses Continue. Returns what the token is.
 */
async function logInOnPage(at: Sandbox) {
  const clientOptions = { baseUrl: at.url, clientId: "demo-public", scopes: ["users"], refreshLeeway: 0 };
  const authUri = await page.evaluate(async (clientOptions) => {
    const { Client, createPkceVerifier, createState } = (window as unknown as AppWindow).kontist;
    const pkce = { verifier: createPkceVerifier(), state: createState() };
    sessionStorage.setItem("pkce", JSON.stringify(pkce));
    const client = new Client({ ...clientOptions, redirectUri: `${location.origin}/callback`, ...pkce });
    return client.auth.tokenManager.getAuthUri();
  }, clientOptions);
  await page.goto(authUri);
  await page.fill("#username", demoUser.username);
  await page.fill("#password", demoUser.password);
  await page.click('button[value="allow"]');
  const challengeId = await page
    .locator("form[data-mfa-challenge-id]")
    .getAttribute("data-mfa-challenge-id", { timeout: 5000 });
  if (challengeId === null) throw new Error("the login shows no MFA challenge");
  await at.test.approveMfaChallenge(challengeId);
  await page.click('form[data-mfa-challenge-id] button[value="allow"]'); // "Continue"
  await page.waitForURL(/\/callback\?/);
  await page.waitForFunction(() => "kontist" in window);
  return page.evaluate(async (clientOptions) => {
    const { Client } = (window as unknown as AppWindow).kontist;
    const pkce = JSON.parse(sessionStorage.getItem("pkce") ?? "{}");
    const client = new Client({ ...clientOptions, redirectUri: `${location.origin}/callback`, ...pkce });
    const token = await client.auth.tokenManager.fetchToken(location.href);
    const app = { client, received: {}, errors: {}, ended: {}, unsubscribe: {}, aborts: {} };
    (window as unknown as AppWindow).app = app;
    return { confirmed: token.confirmed, hasRefreshToken: token.refreshToken !== undefined };
  }, clientOptions);
}

/** Starts the subscription `name` on the page, with callbacks. */
async function subscribeOnPage(name: string) {
  await page.evaluate(
    ({ name, query }) => {
      const { app } = window as unknown as AppWindow;
      const received: string[] = [];
      const errors: string[] = [];
      app.received[name] = received;
      app.errors[name] = errors;
      app.unsubscribe[name] = app.client.graphQL.subscribe<NewTransaction>(query, {
        next: (data) => received.push(data.newTransaction.id),
        error: (error) => errors.push(error.code),
      });
    },
    { name, query: newTransaction },
  );
}

/** Starts the subscription `name` on the page as a for await loop, ended by an AbortSignal. */
async function iterateOnPage(name: string) {
  await page.evaluate(
    ({ name, query }) => {
      const { app } = window as unknown as AppWindow;
      const received: string[] = [];
      const abort = new AbortController();
      app.received[name] = received;
      app.aborts[name] = abort;
      void (async () => {
        try {
          const events = app.client.graphQL.subscribe<NewTransaction>(query, { signal: abort.signal });
          for await (const data of events) received.push(data.newTransaction.id);
          app.ended[name] = "done";
        } catch (error) {
          const { code, name: errorName } = error as { code?: unknown; name?: unknown };
          app.ended[name] = typeof code === "string" ? code : String(errorName);
        }
      })();
    },
    { name, query: newTransaction },
  );
}

/** The ids subscription `name` received on the page so far. */
function receivedOnPage(name: string): Promise<string[]> {
  return page.evaluate((name) => (window as unknown as AppWindow).app.received[name] ?? [], name);
}

/** Polls `assertion` until it passes (vitest's waitFor, every 25 ms), `timeout` ms at most. */
const eventually = (assertion: () => unknown, timeout = 5000) =>
  vi.waitFor(assertion, { timeout, interval: 25 });

describe("GraphQL subscriptions in Chromium, through the browser's WebSocket", () => {
  it("events arrive; an access token that expires mid-stream is renewed once, and the events after it arrive", async () => {
    // A browser app gets no refresh token: it renews in a hidden iframe (an authorization_code grant).
    expect(await logInOnPage(shortLived)).toEqual({ confirmed: true, hasRefreshToken: false });
    await subscribeOnPage("transactions");
    const count = async () => (await receivedOnPage("transactions")).length;
    const probes = await bookUntilDelivered(shortLived, { amount: 1 }, count);
    expect(probes).toContain((await receivedOnPage("transactions"))[0]);
    // The event came through the browser's WebSocket.
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.socket.url()).toBe(`${shortLived.url.replace(/^http/, "ws")}/api/graphql`);
    expect(sockets[0]?.frames.join("\n")).toContain((await receivedOnPage("transactions"))[0]);

    const currentToken = () =>
      page.evaluate(() => {
        const { app } = window as unknown as AppWindow;
        return app.client.auth.tokenManager.token?.accessToken;
      });
    const tokenAtStart = await currentToken();
    const renewals = async () => ({
      silent: await shortLived.test.grantCount("authorization_code"),
      refresh: await shortLived.test.grantCount("refresh_token"),
    });
    const renewalsBefore = await renewals();
    const handshakes = await graphQLHandshakes(shortLived);

    // Within 5 s the token expires: the sandbox closes the socket (4403), the client renews the token once
    // and subscribes again on a new socket; a probe arriving after the renewal came through it.
    await eventually(async () => expect(await currentToken()).not.toBe(tokenAtStart), 15_000);
    await bookUntilDelivered(shortLived, { amount: 2 }, count);
    const seen = await count();
    const booked = await bookInOrder(shortLived, 10, "after the renewal");
    await eventually(async () => expect(await count()).toBeGreaterThanOrEqual(seen + 10));
    expect((await receivedOnPage("transactions")).slice(seen)).toEqual(booked);

    const renewalsAfter = await renewals();
    expect(renewalsAfter.silent - renewalsBefore.silent).toBe(1);
    expect(renewalsAfter.refresh - renewalsBefore.refresh).toBe(0);
    expect(
      await page.evaluate(
        () => (window as unknown as AppWindow).app.client.auth.tokenManager.token?.confirmed,
      ),
    ).toBe(true);
    expect((await graphQLHandshakes(shortLived)) - handshakes).toBe(1);
    expect(sockets).toHaveLength(2);
    expect(sockets[0]?.socket.isClosed()).toBe(true);
    for (const id of booked) expect(sockets[1]?.frames.join("\n")).toContain(id);
    expect(await page.evaluate(() => (window as unknown as AppWindow).app.errors)).toEqual({
      transactions: [],
    });
  }, 40_000);

  it("unsubscribe and an AbortSignal end subscriptions; the last one closes the browser's WebSocket", async () => {
    await logInOnPage(sandbox);
    await subscribeOnPage("callbacks");
    await iterateOnPage("loop");
    const count = (name: string) => async () => (await receivedOnPage(name)).length;
    await bookUntilDelivered(sandbox, { amount: 1 }, async () =>
      Math.min(await count("callbacks")(), await count("loop")()),
    );
    expect(sockets).toHaveLength(1);

    // unsubscribe ends the one; the other still receives on the same socket.
    await page.evaluate(() => (window as unknown as AppWindow).app.unsubscribe.callbacks?.());
    const seen = await count("callbacks")();
    const { id } = await sandbox.test.bookTransaction({ amount: 2 });
    await eventually(async () => expect(await receivedOnPage("loop")).toContain(id));
    expect(await receivedOnPage("callbacks")).toHaveLength(seen);
    expect(sockets[0]?.socket.isClosed()).toBe(false);

    // Aborting the last one ends its loop (which throws the signal's reason, as fetch does) and closes the socket.
    await page.evaluate(() => (window as unknown as AppWindow).app.aborts.loop?.abort());
    await eventually(async () =>
      expect(await page.evaluate(() => (window as unknown as AppWindow).app.ended)).toEqual({
        loop: "AbortError",
      }),
    );
    await eventually(() => expect(sockets[0]?.socket.isClosed()).toBe(true));
    expect(sockets).toHaveLength(1);
    expect(await page.evaluate(() => (window as unknown as AppWindow).app.errors)).toEqual({ callbacks: [] });
  }, 30_000);
});
