import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authorizeWithLogin, authorizeWithMfa, getAuthorize, redirectParams } from "../../test/authorization";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const logout = (headers: Record<string, string> = {}) =>
  fetch(`${sandbox.url}/oauth/logout`, { headers, redirect: "manual" });

describe("GET /oauth/logout", () => {
  it("ends the login session: prompt=none then answers login_required, even with the old cookie", async () => {
    const { cookie } = await authorizeWithMfa(sandbox);
    expect(redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: cookie })).code).toEqual(
      expect.any(String),
    );
    const response = await logout({ Cookie: cookie });
    expect(response.status).toBe(200);
    // The server-side record is gone: replaying the old cookie does not bring the session back.
    const answer = redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: cookie }));
    expect(answer).toEqual({
      error: "login_required",
      error_description: expect.any(String),
      state: "state-123",
    });
  });

  it("clears the cookie and answers a small uncached HTML page that loopback apps may frame", async () => {
    const { cookie } = await authorizeWithLogin(sandbox);
    const response = await logout({ Cookie: cookie });
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBeNull();
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/frame-ancestors [^;]*http:\/\/localhost:\*/);
    expect(csp).toMatch(/frame-ancestors [^;]*http:\/\/127\.0\.0\.1:\*/);
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain("signed out");
    const cleared = response.headers.get("set-cookie") ?? "";
    expect(cleared).toMatch(/^kontist_sandbox_session=;/);
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });

  it("leaves other sessions alone, and answers 200 without a session too", async () => {
    const first = await authorizeWithLogin(sandbox);
    const second = await authorizeWithLogin(sandbox);
    expect((await logout({ Cookie: first.cookie })).status).toBe(200);
    expect(
      redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: second.cookie })).code,
    ).toEqual(expect.any(String));
    expect((await logout()).status).toBe(200);
    expect((await logout({ Cookie: "kontist_sandbox_session=forged" })).status).toBe(200);
  });

  it("is counted in /sandbox/stats and answers another method 405", async () => {
    await logout();
    const stats = await sandbox.test.stats();
    expect(stats.requests).toMatchObject({ "GET /oauth/logout": 1 });
    expect((await fetch(`${sandbox.url}/oauth/logout`, { method: "POST" })).status).toBe(405);
  });
});
