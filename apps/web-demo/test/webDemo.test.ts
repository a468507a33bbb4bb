import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultSeeds, startSandbox } from "@kontist-auth/sandbox";
import type { Browser, BrowserContext, Page, WebSocket as PageWebSocket } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../packages/tests/test/browser/chromium";
import { answerPushChallenge, confirmBindingRequest, newestOtp, smsEntries } from "./phonePage";
import { type StaticServer, startStaticServer } from "./staticServer";

// The web demo as a user drives it, in a real Chromium: built with Vite, served from 127.0.0.1 next to
// the sandbox (same site, so the login-session cookie reaches the silent-renewal iframe). The user's
// phone and mailbox is the sandbox's phone page, in a second tab of the same browser.

const appRoot = fileURLToPath(new URL("..", import.meta.url));
/** The screenshot of the final page, kept as a test artifact (git-ignored). */
const screenshotPath = fileURLToPath(new URL("../test-artifacts/web-demo-confirmed.png", import.meta.url));
const demoUser = { id: "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01", email: "demo@example.com" };
// `text()` below folds white space, the no-break space of a German currency format included.
const demoAccount = { iban: "DE89370400440532013000", balance: "1.234,56 €", balanceInCents: 123_456 };
/** A compact JWS: what an access token looks like, and what the page must never show or store. */
const jwtPattern = /eyJ[\w-]*\.[\w-]+\.[\w-]*/;
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const actionTimeout = 15_000;
/** How long a booked transaction may take to show in the page's live list, once the subscription is up. */
const deliveryTimeout = 2_000;

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let outDir: string;
let app: StaticServer;
let browser: Browser;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "kontist-web-demo-"));
  app = await startStaticServer(outDir); // serves the build below once it is written
  // The app's redirect URI registered exactly: web messages go only to such URIs (issue 9, finding 15).
  const clients = defaultSeeds.clients.map((client) =>
    client.id === "demo-public"
      ? { ...client, redirectUris: [...client.redirectUris, `${app.url}/`] }
      : client,
  );
  sandbox = await startSandbox({ port: 0, clients });
  await build({ root: appRoot, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sandbox?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** One user's browser: a fresh profile (no cookie, no IndexedDB) with the app open in a tab. */
interface Session {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  /** Every WebSocket the app's tab opened (the client's GraphQL subscriptions). */
  webSockets: PageWebSocket[];
}

async function openApp(): Promise<Session> {
  const context = await browser.newContext();
  context.setDefaultTimeout(actionTimeout);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const webSockets: PageWebSocket[] = [];
  page.on("websocket", (socket) => webSockets.push(socket));
  await page.goto(`${app.url}/?api=${encodeURIComponent(sandbox.url)}`);
  await idle(page);
  return { context, page, pageErrors, webSockets };
}

/** The app's WebSockets still open: each must be the sandbox's GraphQL endpoint. */
function openWebSockets(session: Session): PageWebSocket[] {
  const open = session.webSockets.filter((socket) => !socket.isClosed());
  for (const socket of open) expect(socket.url()).toBe(`${sandbox.url.replace(/^http/, "ws")}/api/graphql`);
  return open;
}

/** An amount in cents as the page shows it (the balance's format), white space folded as `text()` does. */
function euros(cents: number): string {
  return new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" })
    .format(cents / 100)
    .replace(/\s+/g, " ");
}

/** One entry of the page's live list of new transactions, by the id the sandbox gave it. */
function listedTransaction(page: Page, id: string) {
  return page.locator(`#transactions-list > li[data-id="${id}"]`);
}

/** The ids of the live list, top (newest) first. */
async function listedIds(page: Page): Promise<string[]> {
  return page.$$eval("#transactions-list > li", (items) =>
    items.map((item) => item.getAttribute("data-id") ?? ""),
  );
}

/** The amount and name of a live list entry, as the page shows them. */
async function listedEntry(page: Page, id: string): Promise<{ amount: string; name: string }> {
  const selector = `#transactions-list > li[data-id="${id}"]`;
  return {
    amount: await text(page, `${selector} .transaction-amount`),
    name: await text(page, `${selector} .transaction-name`),
  };
}

/** The text of one of the page's elements (`#status`, `#error`, `#user`, …). */
async function text(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? "").replace(/\s+/g, " ").trim();
}

/** Waits until the app has finished its current action (`<main data-running>` is gone). */
async function idle(page: Page): Promise<void> {
  await page.waitForSelector("main:not([data-running])");
}

/** Clicks one of the app's buttons and waits for the action to finish, without an error. */
async function press(page: Page, id: string): Promise<void> {
  await page.click(`#${id}`);
  await idle(page);
  expect(await text(page, "#error")).toBe("");
}

/** Where each step of a list (`ol.steps` or `ol.binding-steps`) stands, by its `data-step`. */
async function stepStates(page: Page, list: string): Promise<Record<string, string>> {
  return page.$$eval(`${list} > li[data-step]`, (items) =>
    Object.fromEntries(
      items.map((item) => [item.getAttribute("data-step"), item.getAttribute("data-state")]),
    ),
  );
}

/** Nothing the page shows, holds in its DOM, its URL or its storage looks like a JWT. */
async function expectNoTokenOnPage(page: Page): Promise<void> {
  const exposed = await page.evaluate(() => ({
    url: location.href,
    html: document.documentElement.outerHTML,
    inputs: Array.from(document.querySelectorAll("input"), (input) => input.value).join(" "),
    storage: JSON.stringify({ ...sessionStorage, ...localStorage }),
  }));
  for (const value of Object.values(exposed)) expect(value).not.toMatch(jwtPattern);
}

/** Logs in on the sandbox's page; the app exchanges the code and cleans its URL. */
async function logIn(page: Page): Promise<void> {
  await page.click("#login");
  await page.waitForURL((url) => url.href.startsWith(`${sandbox.url}/api/oauth/authorize?`));
  await page.fill("#username", demoUser.email);
  await page.fill("#password", "demo-password");
  await page.click('button[value="allow"]');
  await page.waitForURL((url) => url.origin === app.url);
  await idle(page);
  expect(await text(page, "#error")).toBe("");
  expect(await text(page, "#status")).toBe("Logged in.");
  expect(page.url()).toBe(`${app.url}/`);
  expect(await text(page, "#user")).toBe(demoUser.id);
  expect(await text(page, "#confirmed")).toBe("no");
  expect(await stepStates(page, "ol.steps")).toEqual({ login: "done", mfa: "current", account: "pending" });
}

/** Opens the sandbox's phone page in a second tab, by clicking a link of the app. */
async function openPhone(session: Session, link: string): Promise<Page> {
  const [phone] = await Promise.all([session.context.waitForEvent("page"), session.page.click(link)]);
  await phone.waitForLoadState();
  expect(phone.url()).toBe(`${sandbox.url}/sandbox/phone`);
  return phone;
}

/** The id of the push challenge the app creates after `action`, once the sandbox has it. */
async function newPushChallenge(action: () => Promise<void>): Promise<string> {
  const known = new Set((await sandbox.test.mfaChallenges()).map((challenge) => challenge.id));
  await action();
  let id: string | undefined;
  await expect
    .poll(
      async () => {
        id = (await sandbox.test.mfaChallenges()).find(
          (challenge) => !known.has(challenge.id) && challenge.userId === demoUser.id,
        )?.id;
        return id;
      },
      { timeout: actionTimeout },
    )
    .toBeDefined();
  return id as string;
}

/** How many times the sandbox was asked for the state of a push challenge (the client's polls). */
async function pushPolls(): Promise<number> {
  const { requests } = await sandbox.test.stats();
  return Object.entries(requests)
    .filter(([route]) => /^GET \/api\/user\/mfa\/challenges\/\{\w+\}$/.test(route))
    .reduce((sum, [, count]) => sum + count, 0);
}

describe("web demo in Chromium", () => {
  it("opt-in: binds this browser (binding request confirmed and SMS code read on the phone page), confirms with the key from IndexedDB, renews silently, logs out", async () => {
    const session = await openApp();
    const { page } = session;

    // First visit: no login session at the sandbox, no key in IndexedDB; the binding is folded away.
    expect(await text(page, "#error")).toBe("");
    expect(await text(page, "#status")).toBe("Not logged in.");
    expect(await text(page, "#api")).toBe(sandbox.url);
    expect(await text(page, "#device")).toBe("not bound");
    expect(await stepStates(page, "ol.steps")).toEqual({
      login: "current",
      mfa: "pending",
      account: "pending",
    });
    expect(await page.getAttribute("header a.phone-link", "href")).toBe(`${sandbox.url}/sandbox/phone`);
    expect(await page.$eval("#browser-binding", (details) => (details as HTMLDetailsElement).open)).toBe(
      false,
    );

    await logIn(page);
    await expectNoTokenOnPage(page);

    // Banking data needs a confirmed token: a typed error, shown by its code.
    await page.click("#show-account");
    await idle(page);
    expect(await text(page, "#error")).toMatch(/^GRAPHQL_ERROR: /);
    expect(await page.isHidden("#account")).toBe(true);

    // The opt-in, with Kontist's caveat; the phone page opens from its link, in a second tab.
    await page.getByText("Bind this browser instead (not recommended for production)").click();
    expect(await text(page, "#browser-binding .caveat")).toContain("not in a browser");
    const phone = await openPhone(session, "ol.binding-steps a.phone-link");

    // Bind: the app asks for a device binding request and says where it stands.
    const smsBefore = (await sandbox.test.sms()).length;
    await page.click("#bind");
    await page.waitForSelector('ol.binding-steps > li[data-step="confirmed"][data-state="current"]');
    expect(await stepStates(page, "ol.binding-steps")).toEqual({
      requested: "done",
      confirmed: "current",
      registered: "pending",
      otp: "pending",
      bound: "pending",
    });
    expect(await text(page, "#status")).toBe("Confirm the device binding request in the e-mail we sent you.");
    expect(await page.isVisible("#bind-cancel")).toBe(true);
    const requestId = (await text(page, "#binding-request")).match(
      /^(\S+), for “kontist-auth web demo”/,
    )?.[1];
    expect(requestId).toBeDefined();
    expect((await sandbox.test.emails()).at(-1)).toMatchObject({
      to: demoUser.email,
      deviceBindingRequestId: requestId,
    });

    // The user confirms it on the phone page; the app registers the key and asks for the SMS code.
    await confirmBindingRequest(phone, requestId as string);
    await page.waitForSelector("#otp", { state: "visible" });
    expect(await stepStates(page, "ol.binding-steps")).toEqual({
      requested: "done",
      confirmed: "done",
      registered: "done",
      otp: "current",
      bound: "pending",
    });

    // The user reads the code on the phone page and types it.
    // The page reloads itself every few seconds: the new SMS shows up at the next reload.
    await expect.poll(() => smsEntries(phone).count(), { timeout: actionTimeout }).toBe(smsBefore + 1);
    const otp = await newestOtp(phone);
    expect(otp).toBe(await sandbox.test.latestOtp());
    await page.fill("#otp", otp);
    await page.click("#otp-submit");
    await idle(page);
    expect(await text(page, "#error")).toBe("");
    const deviceId = (await text(page, "#status")).match(/^Bound this browser as device (\S+)\.$/)?.[1];
    expect(deviceId).toBeDefined();
    expect(await text(page, "#device")).toBe(`${deviceId} (key in IndexedDB, extractable: false)`);
    expect(Object.values(await stepStates(page, "ol.binding-steps"))).toEqual(Array(5).fill("done"));
    expect(await page.isHidden("#otp-form")).toBe(true);
    expect(await page.isHidden("#bind-cancel")).toBe(true);
    await expectNoTokenOnPage(page);

    // Reload: the token was in memory only, so it comes back from the login session (silently); the key
    // comes back from IndexedDB, and the opt-in shows unfolded.
    await page.reload();
    await idle(page);
    expect(await text(page, "#error")).toBe("");
    expect(await text(page, "#status")).toBe("Logged in from your existing session.");
    expect(await text(page, "#user")).toBe(demoUser.id);
    expect(await text(page, "#device")).toBe(`${deviceId} (key in IndexedDB, extractable: false)`);
    expect(await page.$eval("#browser-binding", (details) => (details as HTMLDetailsElement).open)).toBe(
      true,
    );

    // Confirm with the reloaded key: a confirmed token, and the account.
    await press(page, "confirm");
    expect(await text(page, "#status")).toBe(
      `Confirmed with this browser's key (device ${deviceId}). Account loaded.`,
    );
    expect(await text(page, "#confirmed")).toBe("yes");
    expect(await text(page, "#account-iban")).toBe(demoAccount.iban);
    expect(await stepStates(page, "ol.steps")).toEqual({ login: "done", mfa: "done", account: "done" });
    // New transactions follow live, over one WebSocket to the sandbox.
    expect(await text(page, "#transactions-live")).toBe("live");
    await expect.poll(() => openWebSockets(session).length, { timeout: actionTimeout }).toBe(1);
    await expectNoTokenOnPage(page);

    // Renew silently: one more code from the login session, through a hidden iframe that is gone after.
    const grantsBefore = await sandbox.test.grantCount("authorization_code");
    await press(page, "renew");
    expect(await text(page, "#status")).toBe("Renewed silently: a new token from the login session.");
    expect(await text(page, "#user")).toBe(demoUser.id);
    expect(await text(page, "#confirmed")).toBe("no"); // the login skipped MFA, so its session is unconfirmed
    expect(await page.isHidden("#account")).toBe(true);
    expect(await stepStates(page, "ol.steps")).toEqual({ login: "done", mfa: "current", account: "pending" });
    // An unconfirmed token shows no banking data: the live list is gone, its subscription and socket too.
    expect(await page.isHidden("#transactions")).toBe(true);
    await expect.poll(() => openWebSockets(session).length, { timeout: actionTimeout }).toBe(0);
    expect(await sandbox.test.grantCount("authorization_code")).toBe(grantsBefore + 1);
    expect(await page.locator("iframe").count()).toBe(0);
    await expectNoTokenOnPage(page);

    // Log out: the token is gone and so is the login session, so a reload finds none.
    await press(page, "logout");
    expect(await text(page, "#status")).toBe("Logged out.");
    expect(await text(page, "#user")).toBe("not logged in");
    expect(await page.locator("iframe").count()).toBe(0);
    await page.reload();
    await idle(page);
    expect(await text(page, "#status")).toBe("Not logged in.");

    expect(session.pageErrors).toEqual([]);
    await session.context.close();
  }, 90_000);

  it("default: confirms by push approval on the phone page (after a cancel and a denial), ends on the confirmed account, saves a screenshot", async () => {
    const session = await openApp();
    const { page } = session;
    expect(await text(page, "#status")).toBe("Not logged in.");
    await logIn(page);
    expect(await page.getAttribute("#push", "class")).toContain("primary");
    const phone = await openPhone(session, "header a.phone-link");

    // Push: the app tells the user to approve on their phone, linking the phone page; Cancel stops the
    // wait cleanly (no error, no more polls), and the user is still logged in, unconfirmed.
    await newPushChallenge(() => page.click("#push"));
    await page.waitForSelector("#push-waiting", { state: "visible" });
    expect(await text(page, "#push-waiting")).toContain("Approve the sign-in on your phone.");
    expect(await page.getAttribute("#push-waiting a.phone-link", "href")).toBe(
      `${sandbox.url}/sandbox/phone`,
    );
    expect(await text(page, "#status")).toBe("Waiting for your approval on your phone…");
    await press(page, "push-cancel");
    expect(await text(page, "#status")).toBe(
      "Push approval cancelled: you are still logged in, not confirmed.",
    );
    expect(await page.isHidden("#push-waiting")).toBe(true);
    expect(await text(page, "#confirmed")).toBe("no");
    expect(await stepStates(page, "ol.steps")).toEqual({ login: "done", mfa: "current", account: "pending" });
    const pollsAfterCancel = await pushPolls();
    await page.waitForTimeout(3_500); // longer than the client's poll interval (3 s)
    expect(await pushPolls()).toBe(pollsAfterCancel);

    // Denied on the phone: an error, by its code.
    const denied = await newPushChallenge(() => page.click("#push"));
    await answerPushChallenge(phone, denied, "Deny");
    await idle(page);
    expect(await text(page, "#error")).toMatch(/^CHALLENGE_DENIED: /);
    expect(await text(page, "#confirmed")).toBe("no");

    // Approved on the phone: a confirmed token, and the account.
    const approved = await newPushChallenge(() => page.click("#push"));
    await answerPushChallenge(phone, approved, "Approve");
    await idle(page);
    expect(await text(page, "#error")).toBe("");
    expect(await text(page, "#status")).toBe("Confirmed on your phone. Account loaded.");
    expect(await text(page, "#confirmed")).toBe("yes");
    expect(await text(page, "#account-email")).toBe(demoUser.email);
    expect(await text(page, "#account-iban")).toBe(demoAccount.iban);
    expect(await text(page, "#account-balance")).toBe(demoAccount.balance);
    expect(await stepStates(page, "ol.steps")).toEqual({ login: "done", mfa: "done", account: "done" });
    expect(await page.isDisabled("#push")).toBe(true);
    await expectNoTokenOnPage(page);

    // New transactions show live under the account. The subscription may not be up the moment the account
    // shows (the client connects in the background), so small probes are booked until one shows; those
    // booked before are not shown, but they are on the balance.
    expect(await text(page, "#transactions-live")).toBe("live");
    expect(await text(page, "#transactions-none")).toBe("None yet: each one shows here as it is booked.");
    let bookedCents = 0;
    async function book(amount: number, name: string): Promise<string> {
      const { id } = await sandbox.test.bookTransaction({ amount, name, email: demoUser.email });
      bookedCents += amount;
      return id;
    }
    let probe: string | undefined;
    await expect
      .poll(
        async () => {
          probe = await book(100, "Probe (test)");
          const shown = listedTransaction(page, probe).waitFor({ timeout: deliveryTimeout });
          return shown.then(
            () => true,
            () => false,
          );
        },
        { timeout: actionTimeout, interval: 0 },
      )
      .toBe(true);
    expect(await listedEntry(page, probe as string)).toEqual({ amount: "1,00 €", name: "Probe (test)" });

    // Live now: the next transaction must show, on top, with its name and amount; the balance is read again.
    const coffee = await book(-1250, "Coffee Roasters GmbH");
    await listedTransaction(page, coffee).waitFor({ timeout: deliveryTimeout });
    expect((await listedIds(page)).slice(0, 2)).toEqual([coffee, probe]);
    expect(await listedEntry(page, coffee)).toEqual({ amount: "-12,50 €", name: "Coffee Roasters GmbH" });
    expect(await page.isHidden("#transactions-none")).toBe(true);
    const balanceNow = euros(demoAccount.balanceInCents + bookedCents);
    expect(balanceNow).not.toBe(demoAccount.balance);
    await expect.poll(() => text(page, "#account-balance"), { timeout: deliveryTimeout }).toBe(balanceNow);
    // One connection for the subscription.
    expect(openWebSockets(session)).toHaveLength(1);

    // Against a local sandbox the page books one itself (a cross-origin POST from the app's origin).
    expect(await page.isVisible("#book-transaction")).toBe(true);
    await press(page, "book-transaction");
    expect(await text(page, "#status")).toBe(
      "Booked a test transaction in the sandbox: it shows below as it arrives.",
    );
    await expect.poll(async () => (await listedIds(page))[0], { timeout: deliveryTimeout }).not.toBe(coffee);
    const [booked] = await listedIds(page);
    expect(await listedEntry(page, booked as string)).toEqual({
      amount: "-4,99 €",
      name: "Test transaction (sandbox)",
    });
    await expect
      .poll(() => text(page, "#account-balance"), { timeout: deliveryTimeout })
      .toBe(euros(demoAccount.balanceInCents + bookedCents - 499));
    await expectNoTokenOnPage(page);
    expect(await text(page, "#error")).toBe("");
    expect(session.pageErrors).toEqual([]);

    // The final page, confirmed account and live transactions in view, as a test artifact.
    await rm(screenshotPath, { force: true });
    await mkdir(dirname(screenshotPath), { recursive: true });
    await page.bringToFront();
    await page.screenshot({ path: screenshotPath, fullPage: true });
    const png = await readFile(screenshotPath);
    expect(png.subarray(0, 8).equals(pngSignature)).toBe(true);
    expect(png.readUInt32BE(16)).toBeGreaterThan(0); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(0); // IHDR height

    // Logging out ends the subscription: the client closes its socket, none is left open.
    await press(page, "logout");
    expect(await text(page, "#status")).toBe("Logged out.");
    expect(await page.isHidden("#transactions")).toBe(true);
    await expect.poll(() => openWebSockets(session).length, { timeout: actionTimeout }).toBe(0);
    expect(session.pageErrors).toEqual([]);
    await session.context.close();
  }, 90_000);
});
