import { startSandbox } from "@kontist-auth/sandbox";
import { beforeAll, describe, expect, it } from "vitest";
import { CapturedProcess } from "../test/secrets/CapturedProcess";
import { FlowRun } from "../test/secrets/FlowRun";
import { OutputCapture } from "../test/secrets/OutputCapture";
import { runSecretHygiene, type SecretHygieneReport } from "../test/secrets/runSecretHygiene";
import { SecretLedger } from "../test/secrets/SecretLedger";

// Issue 11, item 5: no secret in anything a user or operator sees. One run (test/secrets/) drives every
// flow and its failing variants through the client against an in-process sandbox and the
// `kontist-sandbox` binary, the server example and the CLI demo as real processes, while capturing this
// process's console and stdout/stderr, the sandboxes' logs, the children's output, the server's answers
// and every rendering of every token, client, signer, store and error (String, JSON.stringify,
// util.inspect, the cause chain). Then it searches all of that for the actual secrets used: every
// access and refresh token issued (from the clients' fetch, token objects and stores), passwords, OTPs,
// client secrets, private keys and PINs, whole and in part.

let report: SecretHygieneReport;

beforeAll(async () => {
  report = await runSecretHygiene();
}, 120_000);

const sourcesMatching = (prefix: string) => report.sizes.filter(({ source }) => source.startsWith(prefix));

describe("secret hygiene across everything", () => {
  it("finds no secret in any captured output", () => {
    const shown = report.findings.map(
      ({ source, kind, form, excerpt }) => `${source}: ${kind} (${form}) in …${excerpt}…`,
    );
    expect(shown).toEqual([]);
    expect(report.demoSuspects).toEqual([]);
  });

  it("searched for the actual secrets of every kind, issued and typed during the run", () => {
    const { secrets } = report;
    expect(secrets["access token"]).toBeGreaterThanOrEqual(30);
    expect(secrets["refresh token"]).toBeGreaterThanOrEqual(10);
    // Per client run: the bound device's, the wrong-OTP device's (and the wrong one typed), the
    // wrong-signature device's; the PKCS#11 device's; the demo's.
    expect(secrets.OTP).toBeGreaterThanOrEqual(9);
    // demo-password and other-password, a wrong one per client run, the server example's wrong one.
    expect(secrets.password).toBeGreaterThanOrEqual(5);
    expect(secrets["client secret"]).toBeGreaterThanOrEqual(3);
    // Per client run: the bound device's, the wrong-OTP device's, the wrong-signature device's and another key.
    expect(secrets["private key"]).toBeGreaterThanOrEqual(8);
    expect(secrets.PIN).toBe(2);
    expect(secrets["PKCE verifier"]).toBe(1);
    expect(secrets["encryption key"]).toBe(2);
    expect(report.forms).toBeGreaterThan(200);
  });

  it("captured every source: this process, both sandbox logs, the binary, the demo, the server example", () => {
    for (const prefix of [
      "test process: console.log",
      "test process: console.error",
      "test process: stdout",
      "test process: stderr",
      "sandbox log (in process)",
      "sandbox log (1-second tokens)",
      "kontist-sandbox: stdout",
      "demo: stdout",
      "server-example: stdout",
      "server-example: stderr",
      "server-example login: stdout",
      "server-example login, wrong password: stderr",
      "server-example: HTTP answers",
      "browser: pages",
      "browser: address bar",
      "in-process: wrong password",
    ]) {
      expect(
        sourcesMatching(prefix)
          .map(({ lines }) => lines)
          .reduce((a, b) => a + b, 0),
        prefix,
      ).toBeGreaterThan(0);
    }
    // One line per request: each client run makes dozens.
    expect(sourcesMatching("kontist-sandbox: stdout")[0]?.lines).toBeGreaterThan(50);
    expect(sourcesMatching("sandbox log (in process)")[0]?.lines).toBeGreaterThan(50);
  });

  it("searched the client's events, from onEvent and from node:diagnostics_channel", () => {
    for (const channel of [
      "kontist-auth:renewal:started",
      "kontist-auth:renewal:succeeded",
      "kontist-auth:renewal:failed",
      "kontist-auth:store:lockWaited",
      "kontist-auth:request:unauthorizedRetried",
      "kontist-auth:request:retried",
    ]) {
      expect(report.events[channel], channel).toBeGreaterThan(0);
      expect(sourcesMatching(`diagnostics_channel ${channel}`).length, channel).toBe(1);
    }
    for (const target of ["in-process", "binary", "1-second tokens"]) {
      expect(sourcesMatching(`${target}: client event`).length, target).toBe(1);
    }
  });

  it("went through the error paths: each failing variant failed with its typed error", () => {
    const codes = Object.fromEntries(report.outcomes.map(({ flow, code }) => [flow, code]));
    for (const target of ["in-process", "binary"]) {
      expect(codes[`${target}: wrong password`]).toBe("OAUTH2_ERROR");
      expect(codes[`${target}: wrong client secret`]).toBe("OAUTH2_ERROR");
      expect(codes[`${target}: wrong client secret, Basic authentication`]).toBe("OAUTH2_ERROR");
      expect(codes[`${target}: bind with a wrong OTP`]).toBe("HTTP_ERROR");
      expect(codes[`${target}: confirm with another key's signature`]).toBe("HTTP_ERROR");
      expect(codes[`${target}: push MFA denied`]).toBe("CHALLENGE_DENIED");
      // Without a token GraphQL goes out unauthenticated (public queries), and the viewer is refused.
      expect(codes[`${target}: GraphQL after logout`]).toBe("GRAPHQL_ERROR");
      expect(codes[`${target}: REST after logout`]).toBe("NO_TOKEN");
      expect(codes[`${target}: login, connection reset`]).toBe("NETWORK_ERROR");
      expect(codes[`${target}: refresh, past the timeout`]).toMatch(/^(TIMEOUT|TOKEN_RENEWAL_FAILED)$/);
    }
    expect(codes["in-process: replayed callback"]).toBeDefined();
    expect(codes["in-process: subscription with an unconfirmed token"]).toBe("GRAPHQL_ERROR");
    expect(codes["in-process: PKCS#11 signer with a wrong PIN"]).toBeDefined();
    for (const store of [
      "file store, wrong encryption key",
      "file store, truncated",
      "Redis store, truncated value",
    ]) {
      expect(codes[`in-process: ${store}`], store).toMatch(/^TOKEN_STORE_/);
    }
    for (const broken of ["wrong type", "missing field", "expiry out of range", "truncated", "not JSON"]) {
      expect(codes[`careless server: ${broken}`], broken).toBe("INVALID_RESPONSE");
    }
    expect(codes["careless server: echo in an OAuth2 error"]).toBe("OAUTH2_ERROR");
    expect(codes["careless server: echo, Basic authentication"]).toBe("OAUTH2_ERROR");
    expect(codes["careless server: echo in an HTML page"]).toBe("HTTP_ERROR");
    expect(codes["1-second tokens: REST with an expired access token"]).toBeDefined();
    expect(report.outcomes.filter(({ code }) => code === "succeeded")).toEqual([]);
  });

  it("ran the programs: the demo, the server example's routes and logins, the sandbox binary", () => {
    expect(report.statuses).toMatchObject({
      "demo (exit code)": 0,
      "/me without a login": 502,
      "login, wrong password (exit code)": 1,
      "login (exit code)": 0,
      "/healthz": 200,
      "/me": 200,
      "/account": 403,
      "/me, GraphQL 503": 502,
      "/me, after the faults": 200,
      "SIGTERM (exit code)": 0,
      "kontist-sandbox, SIGTERM (exit code)": 0,
    });
  });

  it("the search finds each form of a real secret of the run when one is planted", () => {
    // A check of the check: the same search over text that does leak, in the forms a leak takes.
    const forms = report.ledger.forms();
    const planted = (kind: string, form: string) => {
      const text = forms.find((f) => f.kind === kind && f.form === form)?.text;
      expect(text, `${kind} ${form}`).toBeDefined();
      return report.ledger.search("planted", `leaked: "${text}".`, forms).map((finding) => finding.kind);
    };
    expect(planted("access token", "whole")).toContain("access token");
    expect(planted("access token", "JWT payload")).toContain("access token");
    expect(planted("refresh token", "first 16 characters")).toContain("refresh token");
    expect(planted("private key", "base64url")).toContain("private key");
    expect(planted("private key", "hex")).toContain("private key");
    expect(planted("OTP", "whole")).toContain("OTP");
    expect(planted("PIN", "whole")).toContain("PIN");
    expect(planted("password", "whole")).toContain("password");
    expect(planted("client secret", "whole")).toContain("client secret");
  });
});

describe("the check itself: a leak through each channel is found", () => {
  it("finds tokens printed to console, stdout and stderr, and in an error's cause, in this process", async () => {
    const sandbox = await startSandbox({ port: 0 });
    const capture = new OutputCapture();
    const ledger = new SecretLedger();
    const run = new FlowRun({ name: "leaky", url: sandbox.url, test: sandbox.test }, { capture, ledger });
    const unhook = capture.hookProcess("leaky process");
    try {
      const client = await run.loggedIn();
      const token = client.auth.tokenManager.token;
      console.warn("token:", token?.accessToken);
      process.stdout.write(`refresh ${token?.refreshToken?.slice(0, 16)}\n`);
      process.stderr.write(`payload ${token?.accessToken.split(".")[1]}\n`);
      capture.expose("leaky error", new Error("outer", { cause: new Error(`inner ${token?.refreshToken}`) }));
      await run.harvest();
    } finally {
      unhook();
      await sandbox.close();
    }
    const found = capture.entries().flatMap(({ source, text }) => ledger.search(source, text));
    const where = found.map(({ source, kind, form }) => `${source}: ${kind} (${form})`);
    expect(where).toEqual(
      expect.arrayContaining([
        "leaky process: console.warn: access token (whole)",
        "leaky process: stdout: refresh token (first 16 characters)",
        "leaky process: stderr: access token (JWT payload)",
        "leaky error: refresh token (whole)",
      ]),
    );
  });

  it("finds a token a child process prints, knowing it from the child's recorder", async () => {
    const sandbox = await startSandbox({ port: 0 });
    const capture = new OutputCapture();
    const ledger = new SecretLedger();
    try {
      const leaker = new CapturedProcess(
        {
          name: "leaker",
          cwd: "packages/tests",
          args: ["test/fixtures/secretLeaker.ts"],
          env: { SANDBOX_URL: sandbox.url },
        },
        capture,
        ledger,
      );
      expect(await leaker.exitCode(30_000)).toBe(0);
    } finally {
      await sandbox.close();
    }
    const found = capture.entries().flatMap(({ source, text }) => ledger.search(source, text));
    const where = found.map(({ source, kind, form }) => `${source}: ${kind} (${form})`);
    expect(where).toEqual(
      expect.arrayContaining([
        "leaker: stdout: access token (whole)",
        "leaker: stderr: refresh token (first 16 characters)",
      ]),
    );
  });
});
