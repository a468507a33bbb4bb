import { authorizeParameterNames, paths } from "@kontist-auth/protocol";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFuzzFixture, demo, type FuzzFixture } from "../../test/fuzzFixture";
import { createFuzzTarget, type FuzzTarget } from "../../test/routeFuzz";

// Property-based fuzzing of the authorization endpoint (GET and POST /api/oauth/authorize) with arbitrary
// query strings and forms built from its parameters: never a 5xx; a redirect only to a URI registered for
// the client (checked here independently of the sandbox's matcher), carrying the request's state; a code
// only for a valid request from a signed-in browser or with the right credentials; a web message only to
// an exactly registered http(s) URI. FUZZ_RUNS / FUZZ_SEED override size and seed.

const runs = Number(process.env.FUZZ_RUNS ?? 2_000);
const seed = Number(process.env.FUZZ_SEED ?? 20_251_101);

/** The seeded clients' redirect URIs registered exactly (the only ones a web message may go to). */
const webDemoRedirectUris = [
  "http://127.0.0.1:5173/",
  "http://127.0.0.1:5173/callback",
  "http://127.0.0.1:4173/",
];
const exactRedirectUris: Record<string, string[]> = {
  "demo-client": webDemoRedirectUris,
  "demo-public": [...webDemoRedirectUris, "kontist-demo://callback"],
};

/** Registered: exactly, or plain `http://` on localhost or 127.0.0.1 with any port and path (RFC 8252 §7.3). */
function isRegistered(clientId: string, uri: string): boolean {
  if (exactRedirectUris[clientId]?.includes(uri)) return true;
  if (!URL.canParse(uri) || uri.includes("#")) return false;
  const url = new URL(uri);
  return (
    url.protocol === "http:" &&
    url.username === "" &&
    url.password === "" &&
    (url.hostname === "localhost" || url.hostname === "127.0.0.1")
  );
}

const redirectUris = fc.oneof(
  fc.constantFrom(
    ...webDemoRedirectUris,
    "kontist-demo://callback",
    "http://localhost:4000/cb",
    "http://LOCALHOST:1/a?b=c",
    "http://127.0.0.1/",
    "http://localhost:*",
    "https://localhost:5173/callback",
    "http://localhost.evil.example/",
    "http://127.0.0.1.nip.io:5173/callback",
    "http://127.0.0.1:5173@evil.example/",
    "http://user:pw@localhost:5173/",
    "http://127.0.0.1:5173/callback#x",
    "http://[::1]:5173/",
    "//evil.example/cb",
    "javascript:alert(1)",
    "https://evil.example/callback",
    "kontist-demo://callback/../x",
    "",
  ),
  fc.webUrl({ withQueryParameters: true }),
  fc.string(),
);

/** The likely-valid value first (weighted up), then the near misses. */
const oneOf = (good: string[], others: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...good), weight: 3 },
    { arbitrary: fc.constantFrom(...others), weight: 1 },
  );

const values: Record<string, fc.Arbitrary<string>> = {
  response_type: oneOf(["code"], ["token", "", "CODE", "code id_token"]),
  client_id: oneOf([demo.clientId, demo.publicClientId], ["unknown-client", "", "demo-client "]),
  redirect_uri: fc.oneof(
    {
      arbitrary: fc.constantFrom(
        ...webDemoRedirectUris,
        "kontist-demo://callback",
        "http://localhost:4000/cb",
      ),
      weight: 3,
    },
    { arbitrary: redirectUris, weight: 2 },
  ),
  scope: oneOf(["users", "accounts users offline"], ["admin", "", "users  users", "offline x"]),
  code_challenge: fc.oneof(
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9\-_]{43}$/), weight: 3 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9\-_+/=]{0,50}$/), weight: 1 },
  ),
  code_challenge_method: oneOf(["S256"], ["plain", "s256", ""]),
  prompt: oneOf(["none", "login", "consent"], ["select_account", ""]),
  response_mode: oneOf(["query", "web_message"], ["fragment", "form_post", ""]),
  skip_mfa: oneOf(["true"], ["false", "1", "TRUE", ""]),
  username: oneOf([demo.email, "DEMO@example.com"], ["other@example.com", "nobody@example.com", ""]),
  password: oneOf([demo.password], ["other-password", "wrong", ""]),
  decision: oneOf(["allow"], ["deny", "maybe"]),
  state: fc.string(),
};

/** One parameter with a value for it, or (rarely) an arbitrary name and value. */
const parameter = fc.oneof(
  {
    arbitrary: fc
      .constantFrom(...Object.keys(values))
      .chain((name) =>
        fc.tuple(
          fc.constant(name),
          fc.oneof(
            { arbitrary: values[name] ?? fc.string(), weight: 8 },
            { arbitrary: fc.string(), weight: 1 },
          ),
        ),
      ),
    weight: 10,
  },
  { arbitrary: fc.tuple(fc.string(), fc.string()), weight: 1 },
);
/**
 * Mostly a request with the required parameters and some optional ones, each once (a request that can
 * pass); sometimes with repeats and strangers added, or any parameters at all.
 */
const entries = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.record(values, { requiredKeys: ["response_type", "client_id", "redirect_uri"] }),
        fc.oneof(
          { arbitrary: fc.constant([]), weight: 3 },
          { arbitrary: fc.array(parameter, { maxLength: 3 }), weight: 1 },
        ),
      )
      .map(([request, more]): [string, string][] => [
        ...Object.entries(request).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ...more,
      ]),
    weight: 4,
  },
  { arbitrary: fc.array(parameter, { maxLength: 12 }), weight: 1 },
);
const query = fc.oneof(
  { arbitrary: entries.map((list) => new URLSearchParams(list).toString()), weight: 8 },
  { arbitrary: fc.string(), weight: 1 },
  { arbitrary: fc.string({ unit: "binary" }).map(encodeURI), weight: 1 },
);

/** One parameter's values, as the sandbox reads them (URLSearchParams). */
function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  return all.length === 1 ? all[0] : undefined;
}

interface Sent {
  params: URLSearchParams;
  post: boolean;
  session: boolean;
}

/** The seeded users' logins (matched case-insensitively) and passwords. */
const users = new Map([
  [demo.email, demo.password],
  ["other@example.com", "other-password"],
]);

/** What the answers were, so a run that never reached a redirect, a code or a web message fails. */
const seen = { redirect: 0, code: 0, webMessage: 0 };

/** A code goes only to a valid request, from a signed-in browser or with the right credentials. */
function expectCodeAllowed({ params, post, session }: Sent) {
  seen.code++;
  expect(single(params, "response_type")).toBe("code");
  for (const name of authorizeParameterNames) expect(params.getAll(name).length).toBeLessThanOrEqual(1);
  if (params.get("client_id") === demo.publicClientId) {
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9\-_]{43}$/);
    expect(params.get("code_challenge_method")).toBe("S256");
  }
  const password = users.get(params.get("username")?.toLowerCase() ?? "");
  const credentials =
    post &&
    password !== undefined &&
    params.get("password") === password &&
    params.get("skip_mfa") === "true";
  expect(session || credentials).toBe(true);
}

function expectRedirectAllowed(location: string, sent: Sent) {
  seen.redirect++;
  const clientId = single(sent.params, "client_id") ?? "";
  const redirectUri = single(sent.params, "redirect_uri") ?? "";
  expect(isRegistered(clientId, redirectUri)).toBe(true);
  const to = new URL(location);
  const registered = new URL(redirectUri);
  expect(`${to.protocol}//${to.host}${to.pathname}`).toBe(
    `${registered.protocol}//${registered.host}${registered.pathname}`,
  );
  expect(to.searchParams.get("state") ?? undefined).toBe(single(sent.params, "state"));
  if (to.searchParams.has("code")) expectCodeAllowed(sent);
}

/** A web message page posts only to an exactly registered http(s) redirect URI's origin. */
function expectWebMessageAllowed(page: string, policy: string, sent: Sent) {
  seen.webMessage++;
  const clientId = single(sent.params, "client_id") ?? "";
  const redirectUri = single(sent.params, "redirect_uri") ?? "";
  // The first response_mode decides how the answer goes (a repeat is answered invalid_request that way).
  expect(sent.params.get("response_mode")).toBe("web_message");
  expect(exactRedirectUris[clientId]).toContain(redirectUri);
  expect(redirectUri).toMatch(/^https?:/);
  const origin = new URL(redirectUri).origin;
  expect(policy).toContain(`frame-ancestors ${origin};`);
  const message = JSON.parse(/var message = (.*);\n/.exec(page)?.[1] ?? "null");
  expect(JSON.parse(/postMessage\(message, (".*")\)/.exec(page)?.[1] ?? "null")).toBe(origin);
  expect(message?.response?.state ?? message?.state).toBe(single(sent.params, "state"));
  if (message?.response?.code !== undefined) expectCodeAllowed(sent);
}

/** Checks an answer of the authorization endpoint against the request that got it. */
async function checkAnswer(response: Response, sent: Sent) {
  const body = await response.text();
  expect(response.status, body.slice(0, 200)).toBeLessThan(500);
  const location = response.headers.get("location");
  // A relative Location is one of the sandbox's own pages (the MFA step), not the client's.
  if (location !== null && !location.startsWith("/")) expectRedirectAllowed(location, sent);
  const policy = response.headers.get("content-security-policy") ?? "";
  if (policy.includes("script-src 'nonce-")) expectWebMessageAllowed(body, policy, sent);
}

let target: FuzzTarget;
let fixture: FuzzFixture;
beforeAll(async () => {
  target = await createFuzzTarget("in-process");
  fixture = await createFuzzFixture(target.send);
});
afterAll(() => target.close());

/** Runs `property` on fresh counters, then checks it reached redirects, codes and web messages. */
async function expectReachesEveryAnswer(property: () => Promise<void>) {
  Object.assign(seen, { redirect: 0, code: 0, webMessage: 0 });
  await property();
  expect(seen.redirect, "redirects").toBeGreaterThan(0);
  expect(seen.code, "codes").toBeGreaterThan(0);
  expect(seen.webMessage, "web messages").toBeGreaterThan(0);
}

const browserHeaders = fc.record({
  session: fc.boolean(),
  html: fc.boolean(),
  site: fc.constantFrom(undefined, "same-origin", "none", "cross-site", "same-site"),
});

function headersFor({ session, html, site }: { session: boolean; html: boolean; site: string | undefined }) {
  const headers: Record<string, string> = {};
  if (session) headers.cookie = fixture.sessionCookie;
  if (html) headers.accept = "text/html";
  if (site !== undefined) headers["sec-fetch-site"] = site;
  return headers;
}

describe("the authorization endpoint under fuzzing", () => {
  it("answers arbitrary query strings of GET without a 5xx, redirecting only where it may", async () => {
    await expectReachesEveryAnswer(() =>
      fc.assert(
        fc.asyncProperty(query, browserHeaders, async (search, browser) => {
          const response = await target.send(`${paths.authorize}?${search.replace(/#/g, "%23")}`, {
            headers: headersFor(browser),
          });
          const params = new URL(`http://x/?${search.replace(/#/g, "%23")}`).searchParams;
          await checkAnswer(response, { params, post: false, session: browser.session });
        }),
        { numRuns: runs, seed },
      ),
    );
  });

  it("answers arbitrary forms of POST without a 5xx, redirecting only where it may", async () => {
    await expectReachesEveryAnswer(() =>
      fc.assert(
        fc.asyncProperty(query, browserHeaders, async (form, browser) => {
          const response = await target.send(paths.authorize, {
            method: "POST",
            headers: { ...headersFor(browser), "content-type": "application/x-www-form-urlencoded" },
            body: form,
          });
          await checkAnswer(response, {
            params: new URLSearchParams(form),
            post: true,
            session: browser.session,
          });
        }),
        { numRuns: runs, seed },
      ),
    );
  });
});
