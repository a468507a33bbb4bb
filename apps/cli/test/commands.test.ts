import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@kontist-auth/client";
import { type RunningSandbox, startSandbox } from "@kontist-auth/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindAsUser } from "./bindAsUser";
import { cliHome, runCli, startCli } from "./cliProcess";

// Every command as a script runs it: stdin a pipe, results on stdout (`--json`), one line on stderr for
// a failure, and the documented exit codes; against the sandbox over loopback HTTP.

const jwtPattern = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
let sandbox: RunningSandbox;
let home: Awaited<ReturnType<typeof cliHome>>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  home = await cliHome(sandbox.url);
});

afterAll(async () => {
  await home?.remove();
  await sandbox?.close();
});

function json(run: { stdout: string }): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe("kontist-auth without a terminal", () => {
  it("fails with one line and exit codes a script can rely on", async () => {
    const notLoggedIn = await runCli(["token", "show"], home.env);
    expect(notLoggedIn).toMatchObject({ code: 3, stdout: "" });
    expect(notLoggedIn.stderr).toMatch(/^kontist-auth: NOT_LOGGED_IN: .+\n$/);

    const wrongPassword = await runCli(
      ["login", "--username", "demo@example.com", "--json"],
      home.env,
      "wrong\n",
    );
    expect(wrongPassword.code).toBe(4);
    const { error } = JSON.parse(wrongPassword.stderr.split("\n").at(-2) ?? "") as {
      error: { code: string };
    };
    expect(error.code).toBe("OAUTH2_ERROR");
    expect(wrongPassword.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const unknownOption = await runCli(["token", "show", "--bogus"], home.env);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe("kontist-auth: USAGE: unknown option '--bogus'\n");

    const unreachable = await runCli(
      ["login", "--username", "demo@example.com", "--base-url", "http://127.0.0.1:9"],
      home.env,
      "pw\n",
    );
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toContain("NETWORK_ERROR");
    expect(unreachable.stderr).not.toContain("pw");
  });

  it("logs in with the password from stdin or KONTIST_PASSWORD, per profile", async () => {
    const piped = await runCli(
      ["login", "--username", "demo@example.com", "--json"],
      home.env,
      "demo-password\n",
    );
    expect(piped.code).toBe(0);
    expect(json(piped)).toMatchObject({ username: "demo@example.com", confirmed: false, refreshable: true });
    expect(piped.stdout + piped.stderr).not.toMatch(jwtPattern);

    const other = await runCli(["login", "--profile", "other", "--username", "other@example.com", "--json"], {
      ...home.env,
      KONTIST_PASSWORD: "other-password",
    });
    expect(other.code).toBe(0);
    const users = await Promise.all(
      ["default", "other"].map(
        async (profile) =>
          json(await runCli(["token", "show", "--json", "--profile", profile], home.env)).user,
      ),
    );
    expect(new Set(users).size).toBe(2);
  });

  it("binds a software device, confirms with it, runs GraphQL, approves another device's request, removes it", async () => {
    // The user confirms the binding request from Kontist's e-mail, then types the SMS code.
    const bound = await bindAsUser(
      sandbox,
      ["--signer", "software", "--name", "CI device", "--json"],
      home.env,
    );
    expect(bound.code).toBe(0);
    const { deviceId, token } = json(bound) as {
      deviceId: string;
      token: { confirmed: boolean; confirmedBy: string };
    };
    expect(token).toMatchObject({ confirmed: true, confirmedBy: deviceId });
    const keyFile = join(home.env.KONTIST_AUTH_CONFIG_DIR ?? "", "profiles/default/device-key.json");
    expect(bound.stderr).toContain(keyFile);

    const list = await runCli(["device", "list", "--json"], home.env);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ id: deviceId, name: "CI device", thisProfile: true }),
    );

    // A fresh login is unconfirmed until the device signs a challenge.
    await runCli(["login", "--username", "demo@example.com"], home.env, "demo-password\n");
    expect(json(await runCli(["token", "show", "--json"], home.env)).confirmed).toBe(false);
    const confirmed = await runCli(["confirm", "--device", deviceId, "--json"], home.env);
    expect(json(confirmed)).toMatchObject({ confirmed: true, confirmedBy: deviceId });

    const account = await runCli(
      ["graphql", "{ viewer { mainAccount { iban balance } } }", "--json"],
      home.env,
    );
    expect(json(account)).toEqual({
      viewer: { mainAccount: { iban: "DE89370400440532013000", balance: 123456 } },
    });
    const badVariables = await runCli(["graphql", "{ viewer { email } }", "--variables", "[1]"], home.env);
    expect(badVariables).toMatchObject({
      code: 2,
      stderr: "kontist-auth: USAGE: --variables must be a JSON object.\n",
    });

    // Events as JSON lines: book until the subscription is live, then one that must arrive on its own line.
    const events = startCli(["subscribe", "subscription { newTransaction { id amount name } }"], home.env);
    await expect
      .poll(
        async () => {
          await sandbox.test.bookTransaction({ amount: 1 });
          return events.stdout();
        },
        { timeout: 15_000, interval: 250 },
      )
      .toContain('"amount":1');
    const booked = await sandbox.test.bookTransaction({ amount: -1250, name: "Coffee Roasters GmbH" });
    await expect.poll(() => events.stdout(), { timeout: 10_000 }).toContain(booked.id);
    const lines = events
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown);
    expect(lines.at(-1)).toEqual({
      newTransaction: { id: booked.id, amount: -1250, name: "Coffee Roasters GmbH" },
    });
    events.kill("SIGINT");
    expect(await events.done).toMatchObject({ code: 130, stderr: expect.stringContaining("CANCELLED") });

    // Another app of the user's asks to bind a device; this bound device answers the request.
    const otherApp = new Client({
      baseUrl: sandbox.url,
      clientId: "demo-client",
      clientSecret: "demo-secret",
    });
    await otherApp.auth.tokenManager.fetchTokenFromCredentials({
      username: "demo@example.com",
      password: "demo-password",
    });
    const request = await otherApp.auth.device.requestBinding({ name: "Second phone" });
    const approved = await runCli(["device", "approve", request.id, "--json"], home.env);
    expect(json(approved)).toEqual({ requestId: request.id, approved: true });
    expect((await otherApp.auth.device.getBindingRequest(request.id)).confirmedAt).toBeTruthy();

    const refreshed = await runCli(["token", "refresh", "--json"], home.env);
    expect(json(refreshed)).toMatchObject({ confirmed: true, confirmedBy: deviceId });

    const removed = await runCli(["device", "remove", deviceId, "--json"], home.env);
    expect(json(removed)).toEqual({ removed: deviceId, keyDeleted: true });
    await expect(readFile(keyFile)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await runCli(["confirm", "--device"], home.env)).toMatchObject({ code: 3 });
  });

  it("login --browser: authorization code + PKCE through a one-shot loopback redirect, the browser from $BROWSER", async () => {
    const browser = join(home.dir, "browser.sh");
    const loader = pathToFileURL(
      fileURLToPath(new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url)),
    ).href;
    const script = fileURLToPath(new URL("fakeBrowser.ts", import.meta.url));
    await writeFile(browser, `#!/bin/sh\nexec "${process.execPath}" --import "${loader}" "${script}" "$1"\n`);
    await chmod(browser, 0o700);
    const grants = await sandbox.test.grantCount("authorization_code");
    const login = await runCli(["login", "--browser", "--profile", "web", "--json"], {
      ...home.env,
      BROWSER: browser,
    });
    expect(login.code).toBe(0);
    // The login page's MFA was approved on the phone: the token is confirmed.
    expect(json(login)).toMatchObject({ confirmed: true, refreshable: true });
    expect(login.stderr).toMatch(/visit:\n {2}http:\/\/127\.0\.0\.1:\d+\/\S*authorize\?\S*code_challenge=/);
    expect(await sandbox.test.grantCount("authorization_code")).toBe(grants + 1);
  });

  it("sandbox: serves the API and its phone page until Ctrl-C", async () => {
    const running = startCli(["sandbox", "--port", "0", "--json"], home.env);
    await expect.poll(() => running.stdout(), { timeout: 15_000 }).toContain("\n");
    const { url, phone } = JSON.parse(running.stdout()) as { url: string; phone: string };
    expect(phone).toBe(`${url}/sandbox/phone`);
    expect((await fetch(phone)).status).toBe(200);
    running.kill("SIGINT");
    expect((await running.done).code).toBe(0);
    await expect(fetch(phone)).rejects.toThrow();
  });

  it("logout deletes the token; --forget also the profile", async () => {
    expect(json(await runCli(["logout", "--json"], home.env))).toMatchObject({ loggedOut: true });
    expect(await runCli(["token", "show"], home.env)).toMatchObject({ code: 3 });
    expect((await runCli(["logout", "--forget", "--profile", "other"], home.env)).code).toBe(0);
    expect((await runCli(["token", "show", "--profile", "other"], home.env)).stderr).toContain(
      "is not logged in",
    );
  });
});
