import { type ChildProcess, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = resolve(packageDir, "../../node_modules/.bin/tsx");

let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
});

function run(args: string[], env: Record<string, string> = {}) {
  const started = spawn(tsx, ["--conditions=@kontist-auth/source", "src/bin.ts", ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = started;
  let stdout = "";
  let stderr = "";
  started.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
  });
  started.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((done) => started.on("exit", (code) => done(code)));
  const output = () => ({ stdout, stderr });
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 200 && !pattern.test(stdout); i += 1) {
      if (started.exitCode !== null) break;
      await sleep(50);
    }
    return pattern.exec(stdout);
  };
  return { process: started, exited, output, waitFor };
}

describe("kontist-sandbox", () => {
  it("prints its URL and its phone page's once listening, serves, logs requests and stops cleanly on SIGTERM", async () => {
    const sandbox = run(["--port", "0", "--otp-ttl", "60"]);
    const match = await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(match, sandbox.output().stderr).not.toBeNull();
    const url = match?.[1] ?? "";
    expect(await sandbox.waitFor(/Phone and mailbox: (\S+)/)).toMatchObject({ 1: `${url}/sandbox/phone` });
    const response = await fetch(`${url}/api/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "password",
        username: "demo@example.com",
        password: "demo-password",
        client_id: "demo-client",
        client_secret: "demo-secret",
      }),
    });
    expect(response.status).toBe(200);
    const { access_token } = await response.json();
    await sandbox.waitFor(/POST \/api\/oauth\/token 200/);
    sandbox.process.kill("SIGTERM");
    expect(await sandbox.exited).toBe(0);
    const { stdout } = sandbox.output();
    expect(stdout).toMatch(/POST \/api\/oauth\/token 200 \d+ms/);
    for (const secret of [access_token, "demo-password", "demo-secret"]) expect(stdout).not.toContain(secret);
  });

  it("honours PORT", async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const sandbox = run([], { PORT: port });
    expect(await sandbox.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/)).toMatchObject({ 1: port });
    sandbox.process.kill("SIGINT");
    expect(await sandbox.exited).toBe(0);
  });

  it("prints help, and usage with exit code 2 for a bad flag", async () => {
    const help = run(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.output().stdout).toContain("Usage: kontist-sandbox");
    const bad = run(["--otp-ttl", "never"]);
    expect(await bad.exited).toBe(2);
    expect(bad.output().stderr).toContain("--otp-ttl must be a positive number of seconds.");
  });
});
