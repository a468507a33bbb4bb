import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { chromiumPath, launchChromium } from "../browser/chromium";
import { startPageServer } from "../browser/pageServer";
import type { SeedFlowResult } from "./app/seedFlow";
import { cleanEnv, runCommand } from "./packedProject";
import type { SeedFlowApp } from "./seedFlowApp";

// The runtimes the seed flow runs in, each from a fresh start: a new process (Node, Bun, Deno), a new
// workerd through miniflare, a new headless Chromium. The runtime binaries come from packages/tests'
// devDependencies (`bun`, `deno`, miniflare's `workerd`) and Debian's Chromium.

const require = createRequire(import.meta.url);

/** A package's folder, or `undefined` when it is not installed. */
function packageDir(name: string, from = require): string | undefined {
  try {
    return dirname(from.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** A file inside an installed package, or `undefined` when the package or the file is missing. */
function fileOf(name: string, file: string, from = require): string | undefined {
  const dir = packageDir(name, from);
  const path = dir === undefined ? undefined : join(dir, file);
  return path !== undefined && existsSync(path) ? path : undefined;
}

const bunBinary = fileOf("bun", "bin/bun.exe");
const denoBinary = fileOf("deno", "deno");
const miniflareDir = packageDir("miniflare");
const workerdBinary =
  miniflareDir === undefined
    ? undefined
    : fileOf("workerd", "bin/workerd", createRequire(join(miniflareDir, "x")));

/** The Workers compatibility date the Worker asks for; workerd must know it (miniflare's workerd is from 2026-07-30). */
const compatibilityDate = "2026-07-01";

/** One run of the seed flow: what the app saw, and the wall time from the runtime's start to its end. */
export interface RuntimeRun {
  result: SeedFlowResult;
  /** Milliseconds from starting the runtime (process, workerd, browser) to having the result. */
  wallMs: number;
}

/** A runtime the seed flow runs in. */
export interface SeedFlowRuntime {
  /** The key used in paths and user names: `node`, `bun`, `deno`, `workerd`, `chromium`. */
  readonly name: string;
  /** What reports call it. */
  readonly label: string;
  /** Why it cannot run here (its binary is missing), or `undefined` when it can. */
  readonly missing: string | undefined;
  /** What the app must report as its runtime (see `runtimeName` in app/seedFlow.ts). */
  readonly expectedRuntime: RegExp;
  /**
   * Runs the seed flow once as the user at `userUrl`.
   *
   * @throws {Error} with the runtime's error output when the flow fails.
   */
  run(app: SeedFlowApp, userUrl: string): Promise<RuntimeRun>;
}

/** Runs the app's script in a process and parses the line of JSON it prints. */
async function runScript(
  command: string,
  args: readonly string[],
  app: SeedFlowApp,
  env: NodeJS.ProcessEnv = {},
): Promise<RuntimeRun> {
  const started = performance.now();
  const run = await runCommand(command, args, {
    cwd: app.project,
    env: { ...cleanEnv(), NO_COLOR: "1", ...env },
    timeoutMs: 30_000,
  });
  const wallMs = performance.now() - started;
  const line = run.stdout.trimEnd().split("\n").at(-1) ?? "";
  if (run.code !== 0 || !line.startsWith("{")) {
    throw new Error(`\`${command} ${args.join(" ")}\` exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  }
  return { result: JSON.parse(line) as SeedFlowResult, wallMs };
}

const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
const bunVersion = bunBinary === undefined ? undefined : versionOf("bun");
const denoVersion = denoBinary === undefined ? undefined : versionOf("deno");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Node, Bun, Deno, workerd and Chromium, in the order the test runs them. */
export const seedFlowRuntimes: readonly SeedFlowRuntime[] = [
  {
    name: "node",
    label: `Node ${process.version}`,
    missing: undefined,
    expectedRuntime: new RegExp(`^Node ${escapeRegExp(process.version)}$`),
    run: (app, userUrl) => runScript(process.execPath, [app.script, userUrl], app),
  },
  {
    name: "bun",
    label: `Bun ${bunVersion ?? ""}`.trim(),
    missing: bunBinary === undefined ? "the `bun` package has no binary (bin/bun.exe)" : undefined,
    expectedRuntime: new RegExp(`^Bun ${escapeRegExp(bunVersion ?? "")}$`),
    // node_modules is there, so Bun does not auto-install anything.
    run: (app, userUrl) =>
      runScript(bunBinary ?? "bun", ["run", app.script, userUrl], app, { DO_NOT_TRACK: "1" }),
  },
  {
    name: "deno",
    label: `Deno ${denoVersion ?? ""}`.trim(),
    missing: denoBinary === undefined ? "the `deno` package has no binary" : undefined,
    expectedRuntime: new RegExp(`^Deno ${escapeRegExp(denoVersion ?? "")}$`),
    run: (app, userUrl) =>
      runScript(
        denoBinary ?? "deno",
        ["run", "--no-prompt", "--allow-net=127.0.0.1", app.denoScript, userUrl],
        app,
        {
          DENO_DIR: join(app.project, "..", "deno-dir"),
          DENO_NO_UPDATE_CHECK: "1",
          // The packages come from the project's node_modules (`"nodeModulesDir": "manual"`): a registry
          // that cannot be reached makes any attempt to download one fail.
          NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/",
        },
      ),
  },
  {
    name: "workerd",
    label: "workerd (miniflare)",
    missing: workerdBinary === undefined ? "miniflare's `workerd` package has no binary" : undefined,
    expectedRuntime: /^Cloudflare-Workers$/,
    async run(app, userUrl) {
      const started = performance.now();
      // No `nodejs_compat`: the packages must do without Node's built-ins. miniflare lets a Worker's fetch
      // reach private and loopback addresses (its "internet" service allows "private"); Cloudflare's edge
      // does not, which is why this runs locally only.
      const miniflare = new Miniflare({ modules: true, script: app.worker, compatibilityDate });
      try {
        const response = await miniflare.dispatchFetch("http://seed-flow.test/", {
          method: "POST",
          body: JSON.stringify({ userUrl }),
        });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`the Worker answered ${response.status}:\n${text}`);
        return { result: JSON.parse(text) as SeedFlowResult, wallMs: performance.now() - started };
      } finally {
        await miniflare.dispose();
      }
    },
  },
  {
    name: "chromium",
    label: "Chromium (headless)",
    missing: existsSync(chromiumPath) ? undefined : `no Chromium at ${chromiumPath}`,
    expectedRuntime: /^HeadlessChrome\/[\d.]+$/,
    async run(app, userUrl) {
      const pages = await startPageServer(app.page);
      try {
        const started = performance.now();
        const browser = await launchChromium();
        try {
          const page = await browser.newPage();
          const errors: string[] = [];
          page.on("pageerror", (error) => errors.push(error.message));
          await page.goto(`${pages.url}/`);
          await page.waitForFunction(() => "runSeedFlow" in window, undefined, { timeout: 10_000 });
          const result = await page.evaluate(
            (url) =>
              (window as unknown as { runSeedFlow(url: string): Promise<SeedFlowResult> }).runSeedFlow(url),
            userUrl,
          );
          if (errors.length > 0) throw new Error(`the page failed: ${errors.join("\n")}`);
          return { result, wallMs: performance.now() - started };
        } finally {
          await browser.close();
        }
      } finally {
        await pages.close();
      }
    },
  },
];
