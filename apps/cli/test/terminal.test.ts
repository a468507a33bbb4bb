import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type RunningSandbox, startSandbox } from "@kontist-auth/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliArgv, cliHome, runCli } from "./cliProcess";
import { TmuxTerminal } from "./TmuxTerminal";

// The CLI as a person uses it: in a real pseudo-terminal (tmux), typing at its prompts, against the
// sandbox; the sandbox's test client stands in for the user's mailbox and phone.

const jwtPattern = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
let sandbox: RunningSandbox;
let home: Awaited<ReturnType<typeof cliHome>>;
const terminals: TmuxTerminal[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  home = await cliHome(sandbox.url);
});

afterEach(async () => {
  await Promise.all(terminals.splice(0).map((terminal) => terminal.close()));
});

afterAll(async () => {
  await home?.remove();
  await sandbox?.close();
});

async function open(...args: string[]): Promise<TmuxTerminal> {
  const terminal = await TmuxTerminal.start(cliArgv(args), home.env);
  terminals.push(terminal);
  return terminal;
}

async function mode(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

describe("kontist-auth in a terminal", () => {
  it("Ctrl-C at the password prompt cancels, says so, and saves nothing", async () => {
    const terminal = await open("login");
    await terminal.waitFor("E-mail");
    await terminal.type("demo@example.com");
    await terminal.press("Enter");
    await terminal.waitFor("Password");
    await terminal.press("C-c");
    expect(await terminal.exitCode()).toBe(130);
    expect(await terminal.screen()).toContain("kontist-auth: CANCELLED:");
    expect(await runCli(["token", "show"], home.env)).toMatchObject({ code: 3 });
  });

  it("login: e-mail and a hidden password at the prompts; the files are private", async () => {
    const terminal = await open("login");
    await terminal.waitFor("E-mail");
    await terminal.type("demo@example.com");
    await terminal.press("Enter");
    await terminal.waitFor("Password");
    await terminal.type("demo-password");
    await terminal.press("Enter");
    expect(await terminal.exitCode()).toBe(0);
    const screen = await terminal.screen();
    expect(screen).toContain("Logged in as demo@example.com");
    expect(screen).toMatch(/Confirmed: +no/);
    expect(screen).not.toContain("demo-password");
    expect(screen).not.toMatch(jwtPattern);
    const profileDir = join(home.env.KONTIST_AUTH_CONFIG_DIR ?? "", "profiles", "default");
    expect(await mode(join(profileDir, "profile.json"))).toBe("600");
    expect(await mode(join(profileDir, "tokens.json"))).toBe("600");
    expect(await mode(profileDir)).toBe("700");
  });

  it("device bind: waits for the e-mail confirmation with a spinner, asks for the SMS code, binds and confirms", async () => {
    const terminal = await open("device", "bind", "--signer", "software", "--name", "Test terminal");
    const screen = await terminal.waitFor(/in the e-mail we sent you \(request ([0-9a-f-]{36})\)/);
    expect(screen).toContain("device-key.json (mode 0600");
    const requestId = /\(request ([0-9a-f-]{36})\)/.exec(screen)?.[1] ?? "";
    // Still waiting: the request is not confirmed yet.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await terminal.screen()).not.toContain("The code we sent you by SMS");
    await sandbox.test.confirmBindingRequest(requestId); // the user clicks "Confirm" in the e-mail
    await terminal.waitFor("The code we sent you by SMS");
    await terminal.type(await sandbox.test.latestOtp());
    await terminal.press("Enter");
    expect(await terminal.exitCode(30_000)).toBe(0);
    const done = await terminal.screen();
    expect(done).toMatch(/Bound device [0-9a-f-]{36} \("Test terminal"\)/);
    expect(done).toMatch(/Confirmed: +yes \(cnf\.kid /);
    expect(await mode(join(home.env.KONTIST_AUTH_CONFIG_DIR ?? "", "profiles/default/device-key.json"))).toBe(
      "600",
    );
  });

  it("confirm --push: a spinner while waiting; Ctrl-C cancels cleanly and says so", async () => {
    const terminal = await open("confirm", "--push");
    await terminal.waitFor("Approve the login on your phone");
    await expect
      .poll(async () => (await sandbox.test.mfaChallenges()).some((c) => c.status === "PENDING"))
      .toBe(true);
    await terminal.press("C-c");
    expect(await terminal.exitCode()).toBe(130);
    const screen = await terminal.screen();
    expect(screen).toContain(
      "kontist-auth: CANCELLED: Cancelled: stopped waiting for the approval on your phone",
    );
    expect(screen).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack trace
  });

  it("confirm --push: approved on the phone, the token is confirmed", async () => {
    const before = new Set((await sandbox.test.mfaChallenges()).map((challenge) => challenge.id));
    const terminal = await open("confirm", "--push");
    await terminal.waitFor("Approve the login on your phone");
    let pending: string | undefined;
    await expect
      .poll(
        async () => {
          const challenges = await sandbox.test.mfaChallenges();
          pending = challenges.find((c) => c.status === "PENDING" && !before.has(c.id))?.id;
          return pending;
        },
        { timeout: 10_000 },
      )
      .toBeDefined();
    await sandbox.test.approveMfaChallenge(pending ?? "");
    expect(await terminal.exitCode()).toBe(0);
    expect(await terminal.screen()).toMatch(/Approved on your phone[\s\S]*Confirmed: +yes/);
  });

  it("token show hides the token unless --reveal", async () => {
    const hidden = await open("token", "show");
    expect(await hidden.exitCode()).toBe(0);
    const screen = await hidden.screen();
    expect(screen).toMatch(/User: +9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01/);
    expect(screen).not.toMatch(jwtPattern);
    const revealed = await open("token", "show", "--reveal");
    expect(await revealed.exitCode()).toBe(0);
    expect(await revealed.screen()).toMatch(jwtPattern);
  });
});
