import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultSeeds, startSandbox } from "@kontist-auth/sandbox";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../packages/tests/test/browser/chromium";
import { type StaticServer, startStaticServer } from "./staticServer";

// The web demo as a user drives it, in a real Chromium: built with Vite, served from 127.0.0.1 next to
// the sandbox (same site, so the login-session cookie reaches the silent-renewal iframe).

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const demoUser = { id: "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01", email: "demo@example.com" };
/** A compact JWS: what an access token looks like, and what the page must never show or store. */
const jwtPattern = /eyJ[\w-]*\.[\w-]+\.[\w-]*/;
const actionTimeout = 15_000;

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let outDir: string;
let app: StaticServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

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
  page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(actionTimeout);
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sandbox?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function authorizationCodeGrants(): Promise<number> {
  return sandbox.test.grantCount("authorization_code");
}

/** The text of one of the page's lines (`#status`, `#error`, `#user`, …). */
async function line(id: string): Promise<string> {
  return (await page.textContent(`#${id}`)) ?? "";
}

/** Waits until the app has finished its current action (it marks `<main aria-busy>`). */
async function idle(): Promise<void> {
  await page.waitForSelector('main[aria-busy="false"]');
}

/** Clicks one of the app's buttons and waits for the action to finish, without an error. */
async function press(id: string): Promise<void> {
  await page.click(`#${id}`);
  await idle();
  expect(await line("error")).toBe("");
}

/** Nothing the page shows, holds in its DOM, its URL or its storage looks like a JWT. */
async function expectNoTokenOnPage(): Promise<void> {
  const exposed = await page.evaluate(() => ({
    url: location.href,
    html: document.documentElement.outerHTML,
    inputs: Array.from(document.querySelectorAll("input"), (input) => input.value).join(" "),
    storage: JSON.stringify({ ...sessionStorage, ...localStorage }),
  }));
  for (const value of Object.values(exposed)) expect(value).not.toMatch(jwtPattern);
}

describe("web demo in Chromium", () => {
  it("logs in with PKCE, binds the browser after a binding request, confirms with the key from IndexedDB, renews silently, logs out", async () => {
    // First visit: no login session at the sandbox, no key in IndexedDB.
    await page.goto(`${app.url}/?api=${encodeURIComponent(sandbox.url)}`);
    await idle();
    expect(await line("error")).toBe("");
    expect(await line("status")).toBe("Not logged in.");
    expect(await line("api")).toBe(sandbox.url);
    expect(await line("device")).toBe("not bound");

    // Log in on the sandbox's page; the app exchanges the code and cleans its URL.
    await page.click("#login");
    await page.waitForURL((url) => url.href.startsWith(`${sandbox.url}/api/oauth/authorize?`));
    await page.fill("#username", demoUser.email);
    await page.fill("#password", "demo-password");
    await page.click('button[value="allow"]');
    await page.waitForURL((url) => url.origin === app.url);
    await idle();
    expect(await line("error")).toBe("");
    expect(await line("status")).toBe("Logged in.");
    expect(page.url()).toBe(`${app.url}/`);
    expect(await line("user")).toBe(demoUser.id);
    expect(await line("confirmed")).toBe("no");
    expect(await line("renewal")).toBe("silent (no refresh token)");
    await expectNoTokenOnPage();

    // Banking data needs a confirmed token: a typed error, shown by its code.
    await page.click("#show-account");
    await idle();
    expect(await line("error")).toMatch(/^GRAPHQL_ERROR: /);

    // Bind: the app asks for a device binding request and tells the user to confirm it; the user clicks
    // the link in the e-mail; then the app asks for the SMS code, which the user reads from their "phone".
    const sentBefore = (await sandbox.test.sms()).length;
    await page.click("#bind");
    await page.waitForFunction(() =>
      document.getElementById("status")?.textContent?.startsWith("Confirm the device binding request"),
    );
    const requestId = (await line("status")).match(/request (\S+) in the e-mail/)?.[1] ?? "";
    const email = (await sandbox.test.emails()).at(-1);
    expect(email).toMatchObject({ to: demoUser.email, deviceBindingRequestId: requestId });
    await sandbox.test.confirmBindingRequest(requestId);
    await page.waitForSelector("#otp", { state: "visible" });
    const sms = await sandbox.test.sms();
    expect(sms).toHaveLength(sentBefore + 1);
    await page.fill("#otp", sms.at(-1)?.otp ?? "");
    await page.click("#otp-submit");
    await idle();
    expect(await line("error")).toBe("");
    const deviceId = (await line("status")).match(/^Bound this browser as device (\S+)\.$/)?.[1];
    expect(deviceId).toBeDefined();
    expect(await line("device")).toBe(`${deviceId} (key in IndexedDB, extractable: false)`);
    expect(await page.isHidden("#otp-form")).toBe(true);
    await expectNoTokenOnPage();

    // Reload: the token was in memory only, so it comes back from the login session (silently); the key
    // comes back from IndexedDB.
    await page.reload();
    await idle();
    expect(await line("error")).toBe("");
    expect(await line("status")).toBe("Logged in from your existing session.");
    expect(await line("user")).toBe(demoUser.id);
    expect(await line("device")).toBe(`${deviceId} (key in IndexedDB, extractable: false)`);

    // Confirm with the reloaded key: a confirmed token.
    await press("confirm");
    expect(await line("status")).toBe(`Confirmed: MFA passed with device ${deviceId}.`);
    expect(await line("confirmed")).toBe("yes");

    // Now the account shows.
    await press("show-account");
    expect(await line("account")).toBe(`${demoUser.email}: DE89370400440532013000, 1234.56 €`);
    await expectNoTokenOnPage();

    // Renew silently: one more code from the login session, through a hidden iframe that is gone after.
    const grantsBefore = await authorizationCodeGrants();
    await press("renew");
    expect(await line("status")).toBe("Renewed silently: a new token from the login session.");
    expect(await line("user")).toBe(demoUser.id);
    expect(await line("confirmed")).toBe("no"); // the login skipped MFA, so its session is unconfirmed
    expect(await authorizationCodeGrants()).toBe(grantsBefore + 1);
    expect(await page.locator("iframe").count()).toBe(0);
    await expectNoTokenOnPage();

    // Log out: the token is gone and so is the login session, so a reload finds none.
    await press("logout");
    expect(await line("status")).toBe("Logged out.");
    expect(await line("user")).toBe("not logged in");
    expect(await page.locator("iframe").count()).toBe(0);
    await page.reload();
    await idle();
    expect(await line("status")).toBe("Not logged in.");

    expect(pageErrors).toEqual([]);
  }, 90_000);
});
