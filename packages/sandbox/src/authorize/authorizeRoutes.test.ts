import { runInNewContext } from "node:vm";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  authorizeUrl,
  authorizeWithLogin,
  continueMfaLogin,
  getAuthorize,
  loopbackRedirectUri,
  pkcePair,
  postAuthorize,
  redirectParams,
  sessionCookie,
  startMfaLogin,
} from "../../test/authorization";
import { demo } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const html = { Accept: "text/html,application/xhtml+xml" };
const credentials = { username: demo.email, password: demo.password };
/** The login without its MFA step: a code at once (the MFA tests are in mfaLogin.test.ts). */
const skipMfa = { skip_mfa: "true" };

async function expectNoRedirect(response: Response, status = 400) {
  expect(response.status).toBe(status);
  expect(response.headers.get("location")).toBeNull();
  return response;
}

/** Runs the inline script of a web_message page against a fake parent window; returns what it posted. */
function runWebMessagePage(page: string): { message: unknown; targetOrigin: string }[] {
  const script = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(page)?.[1];
  expect(script).toBeDefined();
  const posted: { message: unknown; targetOrigin: string }[] = [];
  const parent = {
    postMessage: (message: unknown, targetOrigin: string) => posted.push({ message, targetOrigin }),
  };
  const window = { parent, opener: null };
  runInNewContext(script ?? "", { window });
  return JSON.parse(JSON.stringify(posted));
}

describe("GET /api/oauth/authorize: the client and its redirect URI", () => {
  it("answers an unknown client 400 JSON, or a 400 page for a browser, and never redirects", async () => {
    const json = await expectNoRedirect(await getAuthorize(sandbox, { client_id: "nobody" }));
    expect(await json.json()).toEqual({ message: expect.stringContaining("Unknown client"), status: 400 });
    const page = await expectNoRedirect(await getAuthorize(sandbox, { client_id: "nobody" }, html));
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("Unknown client");
  });

  it("refuses a redirect URI that is not registered, or has a fragment, without redirecting", async () => {
    for (const redirectUri of [
      "https://evil.example/callback",
      "http://localhost.evil.example:5173/cb",
      "http://localhost:5173/callback#fragment",
      "kontist-other://callback",
      "not a uri",
    ]) {
      const response = await expectNoRedirect(await getAuthorize(sandbox, { redirect_uri: redirectUri }));
      expect(await response.json()).toEqual({
        message: expect.stringContaining("redirect_uri"),
        status: 400,
      });
    }
  });

  it("refuses a missing or repeated client_id or redirect_uri without redirecting", async () => {
    const base = `${sandbox.url}/api/oauth/authorize?response_type=code`;
    for (const query of [
      `&redirect_uri=${encodeURIComponent(loopbackRedirectUri)}`,
      "&client_id=demo-client",
      `&client_id=demo-client&client_id=demo-client&redirect_uri=${encodeURIComponent(loopbackRedirectUri)}`,
      `&client_id=demo-client&redirect_uri=${encodeURIComponent(loopbackRedirectUri)}&redirect_uri=x`,
    ]) {
      await expectNoRedirect(await fetch(base + query, { redirect: "manual" }));
    }
  });

  it("accepts any loopback port and path, and the custom scheme of demo-public", async () => {
    expect((await getAuthorize(sandbox, { redirect_uri: "http://localhost:9/any/path?x=1" })).status).toBe(
      200,
    );
    const { challenge } = pkcePair();
    const custom = await getAuthorize(sandbox, {
      client_id: "demo-public",
      redirect_uri: "kontist-demo://callback",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(custom.status).toBe(200);
  });

  it("refuses response_mode=web_message with a custom-scheme redirect URI (it has no origin)", async () => {
    const { challenge } = pkcePair();
    await expectNoRedirect(
      await getAuthorize(sandbox, {
        client_id: "demo-public",
        redirect_uri: "kontist-demo://callback",
        code_challenge: challenge,
        code_challenge_method: "S256",
        response_mode: "web_message",
      }),
    );
  });
});

describe("redirect URI patterns (finding 13)", () => {
  it("finding 13: redirect_uri=http://localhost:* (a registered pattern itself) is a 400, never a 500", async () => {
    for (const redirectUri of ["http://localhost:*", "http://127.0.0.1:*"]) {
      for (const headers of [{}, html]) {
        const page = await expectNoRedirect(
          await getAuthorize(sandbox, { redirect_uri: redirectUri }, headers),
        );
        expect(await page.text()).toContain("redirect_uri");
      }
      const posted = await expectNoRedirect(
        await postAuthorize(sandbox, { redirect_uri: redirectUri, ...credentials, ...skipMfa }),
      );
      expect(await posted.json()).toEqual({ message: expect.stringContaining("redirect_uri"), status: 400 });
      const renewal = await expectNoRedirect(
        await getAuthorize(sandbox, {
          redirect_uri: redirectUri,
          prompt: "none",
          response_mode: "web_message",
        }),
      );
      expect(renewal.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });
});

describe("response_mode=web_message needs an exactly registered redirect URI (finding 15)", () => {
  it("finding 15: refuses web_message (400, no page, no code) for a URI matched only by a wildcard port", async () => {
    const { cookie } = await authorizeWithLogin(sandbox);
    for (const redirectUri of ["http://127.0.0.1:6666/callback", "http://localhost:5173/callback"]) {
      const response = await expectNoRedirect(
        await getAuthorize(
          sandbox,
          { redirect_uri: redirectUri, prompt: "none", response_mode: "web_message" },
          { Cookie: cookie },
        ),
      );
      expect(await response.json()).toEqual({
        message: expect.stringContaining("web_message"),
        status: 400,
      });
    }
    // The same URI with the default response mode still gets its code by redirect.
    const redirected = await getAuthorize(
      sandbox,
      { redirect_uri: "http://127.0.0.1:6666/callback", prompt: "none" },
      { Cookie: cookie },
    );
    expect(redirectParams(redirected).code).toEqual(expect.any(String));
  });

  it("finding 15: answers web_message for a redirect URI registered exactly", async () => {
    const exact = "http://127.0.0.1:7777/app/callback";
    const custom = await startSandbox({
      port: 0,
      clients: [
        {
          id: "web-app",
          grants: ["authorization_code"],
          scopes: ["users"],
          redirectUris: ["http://127.0.0.1:*", exact],
        },
      ],
    });
    try {
      const { challenge } = pkcePair();
      const request = {
        client_id: "web-app",
        redirect_uri: exact,
        code_challenge: challenge,
        code_challenge_method: "S256",
        response_mode: "web_message",
      };
      const response = await getAuthorize(custom, { ...request, prompt: "none" });
      expect(response.status).toBe(200);
      expect(runWebMessagePage(await response.text())).toEqual([
        {
          message: {
            type: "authorization_response",
            error: "login_required",
            error_description: expect.any(String),
            state: "state-123",
          },
          targetOrigin: "http://127.0.0.1:7777",
        },
      ]);
      const other = await getAuthorize(custom, {
        ...request,
        redirect_uri: "http://127.0.0.1:7777/other",
        prompt: "none",
      });
      await expectNoRedirect(other);
    } finally {
      await custom.close();
    }
  });
});

describe("GET /api/oauth/authorize: the login and consent page", () => {
  it("shows a login form carrying the request in hidden fields, escaped, unframeable and uncached", async () => {
    const response = await getAuthorize(sandbox, { state: '"><script>alert(1)</script>' });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const page = await response.text();
    expect(page).toContain('<form method="post" action="/api/oauth/authorize">');
    expect(page).toContain('name="username"');
    expect(page).toContain('name="password"');
    expect(page).toContain('value="allow"');
    expect(page).toContain('value="deny"');
    expect(page).toContain(`name="redirect_uri" value="${loopbackRedirectUri}"`);
    expect(page).toContain('name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).not.toContain("<script>alert(1)");
    expect(page).toContain("demo-client");
  });
});

describe("POST /api/oauth/authorize: logging in", () => {
  it("with skip_mfa=true answers a code by redirect and sets an HttpOnly, SameSite=Lax browser-session cookie", async () => {
    const response = await postAuthorize(sandbox, { ...credentials, ...skipMfa, decision: "allow" });
    expect(response.status).toBe(302);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const location = new URL(response.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(loopbackRedirectUri);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      code: expect.stringMatching(/^[\w-]{43}$/),
      state: "state-123",
    });
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^kontist_sandbox_session=[\w-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Lax/i);
    expect(setCookie).toMatch(/; Path=\//);
    // Like Kontist's, the session ends with the browser: no Max-Age, no Expires.
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    expect(setCookie).not.toMatch(/Secure/i);
  });

  it("takes the e-mail case-insensitively and keeps the redirect URI's own query", async () => {
    const response = await postAuthorize(sandbox, {
      username: "DEMO@example.com",
      password: demo.password,
      ...skipMfa,
      redirect_uri: "http://localhost:4000/cb?tenant=a",
    });
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("tenant")).toBe("a");
    expect(location.searchParams.get("code")).toEqual(expect.any(String));
  });

  it('answers Kontist\'s denial, error={"type":"AccessDeniedError"}, when the user presses Deny', async () => {
    for (const extra of [{}, credentials, { ...credentials, ...skipMfa }]) {
      const response = await postAuthorize(sandbox, { ...extra, decision: "deny" });
      expect(redirectParams(response)).toEqual({ state: "state-123", error: '{"type":"AccessDeniedError"}' });
      // Exactly the docs' form: the JSON, URL-encoded, after the state.
      expect(response.headers.get("location")).toBe(
        `${loopbackRedirectUri}?state=state-123&error=%7B%22type%22%3A%22AccessDeniedError%22%7D`,
      );
      expect(response.headers.get("set-cookie")).toBeNull();
    }
  });

  it("shows the page again with 401 for a wrong password, without echoing it (JSON for a non-browser)", async () => {
    const page = await postAuthorize(sandbox, { username: demo.email, password: "hunter2-wrong" }, html);
    expect(page.status).toBe(401);
    expect(page.headers.get("set-cookie")).toBeNull();
    const text = await page.text();
    expect(text).toContain("The e-mail or password is wrong.");
    expect(text).toContain(`value="${demo.email}"`);
    expect(text).not.toContain("hunter2");

    const json = await postAuthorize(sandbox, { username: "nobody@example.com", password: "x" });
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({ message: "The e-mail or password is wrong.", status: 401 });
    const empty = await postAuthorize(sandbox, {});
    expect(empty.status).toBe(401);
  });

  it("answers a body that is not form-encoded with 415", async () => {
    const response = await fetch(`${sandbox.url}/api/oauth/authorize`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ message: expect.any(String), status: 415 });
  });
});

describe("login CSRF (finding 16)", () => {
  /** What browsers send with a form post from another site (or another local port, or a sandboxed page). */
  const crossSite: Record<string, string>[] = [
    { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    { Origin: "https://evil.example" },
    { "Sec-Fetch-Site": "cross-site" },
    { Origin: "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site" },
    { Origin: "null" },
  ];

  it("finding 16: refuses a cross-site post of the login form with 403: no session cookie, no code", async () => {
    for (const headers of crossSite) {
      for (const accept of [{}, html]) {
        const response = await postAuthorize(
          sandbox,
          { ...credentials, ...skipMfa },
          { ...headers, ...accept },
        );
        expect(response.status, JSON.stringify(headers)).toBe(403);
        expect(response.headers.get("location")).toBeNull();
        expect(response.headers.get("set-cookie")).toBeNull();
      }
    }
    const json = await postAuthorize(sandbox, { ...credentials, ...skipMfa }, crossSite[0]);
    expect(await json.json()).toEqual({ message: expect.stringContaining("cross-site"), status: 403 });
  });

  it("finding 16: refuses a cross-site continuation, cancel or sandbox approval of a pending login", async () => {
    const login = await startMfaLogin(sandbox);
    const attacker = crossSite[0];
    for (const options of [
      { headers: attacker },
      { headers: attacker, decision: "deny" },
      { headers: attacker, path: "/sandbox/authorize/approve" },
    ]) {
      const response = await continueMfaLogin(sandbox, login, options);
      expect(response.status, JSON.stringify(options)).toBe(403);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
    const challenges = await sandbox.test.mfaChallenges();
    expect(challenges).toEqual([expect.objectContaining({ id: login.challengeId, status: "PENDING" })]);
    // The login itself is untouched: its own page still continues it.
    const own = { Origin: sandbox.url, "Sec-Fetch-Site": "same-origin" };
    expect(
      redirectParams(
        await continueMfaLogin(sandbox, login, { headers: own, path: "/sandbox/authorize/approve" }),
      ).code,
    ).toEqual(expect.any(String));
  });

  it("finding 16: accepts the sandbox's own page, a user's own navigation and clients that send no Origin", async () => {
    const accepted: Record<string, string>[] = [
      { Origin: sandbox.url, "Sec-Fetch-Site": "same-origin" },
      // The login page is served with Referrer-Policy: no-referrer, so a browser's Origin is "null" there.
      { Origin: "null", "Sec-Fetch-Site": "same-origin" },
      { "Sec-Fetch-Site": "none" },
      { Origin: sandbox.url },
      {},
    ];
    for (const headers of accepted) {
      const response = await postAuthorize(sandbox, { ...credentials, ...skipMfa }, headers);
      expect(redirectParams(response).code, JSON.stringify(headers)).toEqual(expect.any(String));
    }
  });
});

describe("GET /api/oauth/authorize with a login session", () => {
  it("answers a code at once, and prompt=none too", async () => {
    const { cookie } = await authorizeWithLogin(sandbox);
    const again = redirectParams(await getAuthorize(sandbox, { state: "s2" }, { Cookie: cookie }));
    expect(again).toEqual({ code: expect.any(String), state: "s2" });
    const silent = redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: cookie }));
    expect(silent.code).toEqual(expect.any(String));
    expect(silent.code).not.toBe(again.code);
  });

  it("shows the login form for prompt=login, and a consent page for prompt=consent", async () => {
    const { cookie } = await authorizeWithLogin(sandbox);
    const login = await getAuthorize(sandbox, { prompt: "login" }, { Cookie: cookie });
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="password"');
    // Posting the prompt=login form without credentials does not reuse the session.
    expect((await postAuthorize(sandbox, { prompt: "login" }, { Cookie: cookie })).status).toBe(401);

    const consent = await getAuthorize(sandbox, { prompt: "consent" }, { Cookie: cookie });
    const page = await consent.text();
    expect(page).toContain(`Signed in as <strong>${demo.email}</strong>`);
    expect(page).not.toContain('name="password"');
    const allowed = await postAuthorize(
      sandbox,
      { prompt: "consent", decision: "allow" },
      { Cookie: cookie },
    );
    expect(redirectParams(allowed).code).toEqual(expect.any(String));
  });

  it("ignores an unknown session cookie", async () => {
    const response = await getAuthorize(sandbox, {}, { Cookie: "kontist_sandbox_session=forged" });
    expect(response.status).toBe(200);
  });

  it("forgets sessions on reset", async () => {
    const { cookie } = await authorizeWithLogin(sandbox);
    sandbox.reset();
    const answer = redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: cookie }));
    expect(answer.error).toBe("login_required");
  });
});

describe("GET /api/oauth/authorize, prompt=none without a session", () => {
  it("answers login_required by redirect, with the state", async () => {
    const answer = redirectParams(await getAuthorize(sandbox, { prompt: "none" }));
    expect(answer).toEqual({
      error: "login_required",
      error_description: expect.any(String),
      state: "state-123",
    });
  });
});

describe("GET /api/oauth/authorize, errors answered to the client", () => {
  it("answers unsupported_response_type, invalid_scope and a repeated parameter by redirect", async () => {
    expect(redirectParams(await getAuthorize(sandbox, { response_type: "token" })).error).toBe(
      "unsupported_response_type",
    );
    expect(redirectParams(await getAuthorize(sandbox, { scope: "accounts clients" })).error).toBe(
      "invalid_scope",
    );
    const repeated = await fetch(
      `${sandbox.url}/api/oauth/authorize?response_type=code&client_id=demo-client&redirect_uri=${encodeURIComponent(
        loopbackRedirectUri,
      )}&scope=a&scope=b`,
      { redirect: "manual" },
    );
    expect(redirectParams(repeated).error).toBe("invalid_request");
  });

  it("requires PKCE S256 from a public client: no challenge, plain, no method, a malformed challenge", async () => {
    const { challenge } = pkcePair();
    const publicClient = { client_id: "demo-public" };
    const cases: Record<string, string>[] = [
      {},
      { code_challenge: challenge },
      { code_challenge: challenge, code_challenge_method: "plain" },
      { code_challenge: "short", code_challenge_method: "S256" },
      { code_challenge_method: "S256" },
    ];
    for (const params of cases) {
      const answer = redirectParams(await getAuthorize(sandbox, { ...publicClient, ...params }));
      expect(answer, JSON.stringify(params)).toEqual({
        error: "invalid_request",
        error_description: expect.any(String),
        state: "state-123",
      });
    }
    const ok = await getAuthorize(sandbox, {
      ...publicClient,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(ok.status).toBe(200);
  });

  it("answers a custom-scheme redirect URI in its own scheme", async () => {
    const response = await getAuthorize(sandbox, {
      client_id: "demo-public",
      redirect_uri: "kontist-demo://callback",
    });
    expect(response.headers.get("location")).toMatch(/^kontist-demo:\/\/callback\?error=invalid_request&/);
  });
});

describe("response_mode=web_message", () => {
  it("posts { type, response: { code, state } } to the parent window at the redirect URI's origin", async () => {
    const { cookie } = await authorizeWithLogin(sandbox);
    const response = await getAuthorize(
      sandbox,
      { prompt: "none", response_mode: "web_message", state: "</script><b>x" },
      { Cookie: cookie },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("cache-control")).toBe("no-store");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors http://127.0.0.1:5173");
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    const page = await response.text();
    expect(page).not.toContain("</script><b>");
    expect(runWebMessagePage(page)).toEqual([
      {
        message: {
          type: "authorization_response",
          response: { code: expect.any(String), state: "</script><b>x" },
        },
        targetOrigin: "http://127.0.0.1:5173",
      },
    ]);
  });

  it("posts login_required without a session, and to window.opener when not framed", async () => {
    const response = await getAuthorize(sandbox, { prompt: "none", response_mode: "web_message" });
    const page = await response.text();
    const posted: unknown[] = [];
    const script = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "";
    const window: Record<string, unknown> = {
      opener: { postMessage: (...args: unknown[]) => posted.push(args) },
    };
    window.parent = window;
    runInNewContext(script, { window });
    expect(JSON.parse(JSON.stringify(posted))).toEqual([
      [
        {
          type: "authorization_response",
          error: "login_required",
          error_description: expect.any(String),
          state: "state-123",
        },
        "http://127.0.0.1:5173",
      ],
    ]);
  });

  it("answers the login form with a web message too (a popup login)", async () => {
    const response = await postAuthorize(sandbox, {
      ...credentials,
      ...skipMfa,
      response_mode: "web_message",
    });
    expect(response.status).toBe(200);
    sessionCookie(response);
    const [posted] = runWebMessagePage(await response.text());
    expect(posted?.message).toEqual({
      type: "authorization_response",
      response: { code: expect.any(String), state: "state-123" },
    });
  });
});

describe("response_mode=web_message, errors", () => {
  it("posts no response key with an error, so Kontist's SDK (which resolves on any response) rejects", async () => {
    const response = await getAuthorize(sandbox, { prompt: "none", response_mode: "web_message" });
    const [posted] = runWebMessagePage(await response.text());
    expect(posted?.message).not.toHaveProperty("response");
  });

  it('posts the denial as the object { type: "AccessDeniedError" }, the redirect\'s error value', async () => {
    const response = await postAuthorize(sandbox, { response_mode: "web_message", decision: "deny" });
    expect(response.status).toBe(200);
    expect(runWebMessagePage(await response.text())).toEqual([
      {
        message: { type: "authorization_response", error: { type: "AccessDeniedError" }, state: "state-123" },
        targetOrigin: "http://127.0.0.1:5173",
      },
    ]);
  });

  it("posts an RFC 6749 error code as a string, without state when the request had none", async () => {
    const url = new URL(authorizeUrl(sandbox, { response_mode: "web_message", scope: "accounts clients" }));
    url.searchParams.delete("state");
    const [posted] = runWebMessagePage(await (await fetch(url, { redirect: "manual" })).text());
    expect(posted?.message).toEqual({
      type: "authorization_response",
      error: "invalid_scope",
      error_description: expect.any(String),
    });
  });
});

describe("login session lifetime", () => {
  let shortLived: RunningSandbox;
  beforeAll(async () => {
    shortLived = await startSandbox({ port: 0, sessionTtl: 0.3 });
  });
  afterAll(() => shortLived.close());

  it("ends after sessionTtl: prompt=none then answers login_required", async () => {
    const { cookie } = await authorizeWithLogin(shortLived);
    expect(
      redirectParams(await getAuthorize(shortLived, { prompt: "none" }, { Cookie: cookie })).code,
    ).toEqual(expect.any(String));
    await sleep(400);
    expect(redirectParams(await getAuthorize(shortLived, { prompt: "none" }, { Cookie: cookie })).error).toBe(
      "login_required",
    );
  });
});

describe("stats", () => {
  it("counts the page and the form", async () => {
    await getAuthorize(sandbox);
    await authorizeWithLogin(sandbox);
    const stats = await sandbox.test.stats();
    expect(stats.requests).toMatchObject({ "GET /api/oauth/authorize": 1, "POST /api/oauth/authorize": 1 });
  });
});
