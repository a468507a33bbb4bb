import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisIfNeeded, type TestRedis } from "../../../token-store-redis/test/index";
import { demoUser, type Sandbox, startSandbox } from "../../test/sandboxSupport";
import { extractAllSnippets, repositoryRoot, snippetLocation } from "../snippets/extractSnippets";

// What the guides show runs: every ```ts block marked `<!-- snippet: run -->` (docs/, the READMEs) is run as
// a program, from the workspace's TypeScript sources, against a fresh sandbox, reading its settings from the
// environment as a real program would. This test plays the user meanwhile: it clicks every binding
// request's e-mail link, approves every push challenge on the "phone", and types each SMS code into the
// program's stdin; and money moves: a transaction is booked on the account twice a second, for the
// subscription examples. The program must end by itself with exit code 0 and print no password or SMS code.

const testsDir = join(repositoryRoot, "packages/tests");
const runnable = extractAllSnippets().filter((snippet) => snippet.run === true && snippet.skip === undefined);
const timeoutMs = 60_000;

let redis: TestRedis;
// Inside packages/tests, so the programs resolve the workspace's packages; a folder of this run's own.
let scratchDir: string;
beforeAll(async () => {
  redis = await startRedisIfNeeded();
  scratchDir = await mkdtemp(join(testsDir, ".docs-run-"));
});
afterAll(async () => {
  if (scratchDir !== undefined) await rm(scratchDir, { recursive: true, force: true });
  await redis?.stop();
});

interface ProgramRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Starts `file` with tsx under the workspace's source condition, as `node` would run a built program. */
function startProgram(
  file: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; done: Promise<ProgramRun> } {
  const child = spawn(process.execPath, ["--conditions=@kontist-auth/source", "--import", "tsx", file], {
    cwd: testsDir,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const done = new Promise<ProgramRun>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, output }));
  });
  return { child, done };
}

/**
 * The user's part while a program runs: confirms binding requests from their e-mails, approves push
 * challenges, types each new SMS code followed by a newline, books a transaction every 500 ms. Returns
 * the codes it typed.
 */
async function playUser(sandbox: Sandbox, child: ChildProcess, stop: AbortSignal): Promise<string[]> {
  const confirmed = new Set<string>();
  const approved = new Set<string>();
  const typed: string[] = [];
  for (let round = 1; !stop.aborted; round++) {
    if (round % 10 === 0) await sandbox.test.bookTransaction({ amount: -125, name: "Docs runner" });
    const [emails, challenges, sms] = await Promise.all([
      sandbox.test.emails(),
      sandbox.test.mfaChallenges(),
      sandbox.test.sms(),
    ]);
    for (const { deviceBindingRequestId: id } of emails) {
      if (id === undefined || confirmed.has(id)) continue;
      confirmed.add(id);
      await sandbox.test.confirmBindingRequest(id);
    }
    for (const challenge of challenges) {
      if (challenge.status !== "PENDING" || approved.has(challenge.id)) continue;
      approved.add(challenge.id);
      await sandbox.test.approveMfaChallenge(challenge.id);
    }
    for (const message of sms.slice(typed.length)) {
      typed.push(message.otp);
      if (child.stdin?.writable) child.stdin.write(`${message.otp}\n`);
    }
    await sleep(50);
  }
  return typed;
}

describe("the documentation's runnable examples", () => {
  it("are there: every guide to a task done in Node runs its example", () => {
    const guides = new Set(
      runnable.map((snippet) => snippet.file).filter((file) => file.startsWith("docs/")),
    );
    for (const guide of [
      "password-device-binding",
      "push-mfa",
      "fleets-redis",
      "custom-signer",
      "custom-store",
      "subscriptions",
      "testing-with-sandbox",
      "migrating-from-kontist-sdk",
    ]) {
      expect(guides, guide).toContain(`docs/${guide}.md`);
    }
  });

  for (const snippet of runnable) {
    const where = snippetLocation(snippet);
    it(
      `${where} runs to the end against a sandbox`,
      async () => {
        const sandbox = await startSandbox({ port: 0 });
        const file = join(scratchDir, `${where.replace(/[^\w]+/g, "-")}.ts`);
        await writeFile(file, `${snippet.code}\n`);
        // A home of its own: an example may keep its device key and token under ~/.config.
        const home = await mkdtemp(join(tmpdir(), "kontist-auth-docs-home-"));
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH,
          HOME: home,
          XDG_CONFIG_HOME: join(home, ".config"),
          TMPDIR: process.env.TMPDIR,
          KONTIST_BASE_URL: sandbox.url,
          KONTIST_CLIENT_ID: "demo-client",
          KONTIST_CLIENT_SECRET: "demo-secret",
          KONTIST_USERNAME: demoUser.username,
          KONTIST_PASSWORD: demoUser.password,
          REDIS_URL: redis.url,
        };
        const { child, done } = startProgram(file, env);
        const user = new AbortController();
        const playing = playUser(sandbox, child, user.signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        try {
          const run = await done;
          user.abort();
          const typed = await playing;
          const report = `${where} exited ${run.code ?? run.signal}:\n${run.output}`;
          expect(run.code, report).toBe(0);
          for (const secret of [demoUser.password, ...typed]) {
            expect(run.output.includes(secret), `${where} printed a secret`).toBe(false);
          }
        } finally {
          clearTimeout(timer);
          user.abort();
          await playing.catch(() => undefined);
          await Promise.all([
            sandbox.close(),
            rm(file, { force: true }),
            rm(home, { recursive: true, force: true }),
          ]);
        }
      },
      timeoutMs + 10_000,
    );
  }
});
