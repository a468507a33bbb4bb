import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The children resolve packages from here, as an app that depends on them would.
const testsPackage = fileURLToPath(new URL("..", import.meta.url));
const packagesFolder = join(testsPackage, "..");

/** The workspace packages `@kontist-auth/client` loads at run time, measured from their builds. */
const builtPackages = ["client", "protocol", "crypto", "token-store"];

const warmups = 2;
const runs = 20;
/** The goal: the client's start-up cost at most this share of Kontist's SDK's. */
const goalRatio = 0.5;

interface Contender {
  name: string;
  /** Arguments of `node`. */
  args: string[];
  /** The contender this one is held to the goal against, when it is ours. */
  comparedWith?: string;
}

const kontistImport = "`kontist` (Kontist's SDK, CommonJS): `require`";
const kontistConstruct = "`kontist`: `require` + `new Client({ clientId })`";
const baseline = 'bare `node -e ""`';

const esm = (code: string) => ["--input-type=module", "-e", code];
const contenders: Contender[] = [
  { name: baseline, args: ["-e", ""] },
  {
    name: "`@kontist-auth/client`: `import` (ESM)",
    args: esm(`import "@kontist-auth/client";`),
    comparedWith: kontistImport,
  },
  {
    name: "`@kontist-auth/client`: `require` (CJS)",
    args: ["-e", `require("@kontist-auth/client");`],
    comparedWith: kontistImport,
  },
  {
    name: "`@kontist-auth/client`: `import` + `new Client({ clientId })`",
    args: esm(`import { Client } from "@kontist-auth/client"; new Client({ clientId: "startup-bench" });`),
    comparedWith: kontistConstruct,
  },
  { name: kontistImport, args: ["-e", `require("kontist");`] },
  {
    name: kontistConstruct,
    args: ["-e", `const { Client } = require("kontist"); new Client({ clientId: "startup-bench" });`],
  },
  { name: "`ky` alone: `import`", args: esm(`import "ky";`) },
  { name: "`zod/mini` alone: `import`", args: esm(`import "zod/mini";`) },
];

/** What `pnpm bench` writes above the table. */
export const startupDescription = `What a cold start pays for each import, as a serverless function does on every cold start: each row is a fresh \`node\` process (this Node, no loader, no source condition, \`NODE_OPTIONS\` cleared) started in packages/tests, which imports the built packages as users install them (\`dist\` through each package's \`exports\`), timed from spawn to exit by the parent. The rows run round-robin, one process each in turn (so drifting machine load hits all alike): ${warmups} warm-up rounds unmeasured, then ${runs} measured. "Added" is a row's median minus bare \`node\`'s; the ratio is our added time over Kontist's SDK's for the same use (the goal is at most ${goalRatio}); \`zod/mini\`, which \`@kontist-auth/protocol\` builds on, and \`ky\`, which the client used for HTTP until issue 12, are shown alone for scale.`;

/**
 * Times cold `node` processes importing `@kontist-auth/client`, Kontist's SDK, `ky` and `zod/mini`, and
 * returns a markdown table of medians, p90s, time added over bare `node` and the client's ratio to
 * Kontist's SDK against the goal.
 *
 * @throws {Error} when a workspace package's `dist` is missing or older than its sources (run
 *   `pnpm build`), or when a child process fails.
 */
export async function startupTable(): Promise<string> {
  assertBuilt();
  const samples = new Map(contenders.map((contender) => [contender.name, [] as number[]]));
  for (let round = 0; round < warmups + runs; round++) {
    for (const contender of contenders) {
      const elapsed = timeProcess(contender);
      if (round >= warmups) samples.get(contender.name)?.push(elapsed);
    }
  }
  const stats = new Map(
    [...samples].map(([name, times]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return [name, { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) }];
    }),
  );
  const bare = stats.get(baseline)?.median ?? 0;
  const added = (name: string) => (stats.get(name)?.median ?? 0) - bare;
  const ms = (value: number) => value.toFixed(1);
  const rows = contenders.map(({ name, comparedWith }) => {
    const { median = 0, p90 = 0 } = stats.get(name) ?? {};
    if (name === baseline) return `| ${name} | ${ms(median)} | — | ${ms(p90)} | — |`;
    if (comparedWith === undefined)
      return `| ${name} | ${ms(median)} | ${ms(added(name))} | ${ms(p90)} | — |`;
    const ratio = added(name) / added(comparedWith);
    const verdict = ratio <= goalRatio ? "✅ pass" : "❌ fail";
    return `| ${name} | ${ms(median)} | ${ms(added(name))} | ${ms(p90)} | ${ratio.toFixed(2)} ${verdict} |`;
  });
  return [
    `| cold \`node\` process (${runs} each) | median ms | added over bare node, ms | p90 ms | added ÷ Kontist's SDK's (goal ≤ ${goalRatio}) |`,
    "| --- | ---: | ---: | ---: | :--- |",
    ...rows,
  ].join("\n");
}

/** Milliseconds from spawning `node <args>` to its exit. */
function timeProcess({ name, args }: Contender): number {
  // No preloads from the parent's environment, and no compile cache (Node 22+) to skip the work measured.
  const env = { ...process.env, NODE_OPTIONS: "", NODE_COMPILE_CACHE: undefined };
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: testsPackage,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const elapsed = performance.now() - started;
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `Start-up benchmark: "${name}" failed (exit ${result.status}): ${result.error ?? result.stderr}`,
    );
  }
  return elapsed;
}

/** The measured code must be what users install: the built packages, built from the current sources. */
function assertBuilt(): void {
  for (const name of builtPackages) {
    const folder = join(packagesFolder, name);
    const dist = join(folder, "dist");
    if (!existsSync(dist)) {
      throw new Error(`Start-up benchmark: packages/${name}/dist is missing; run \`pnpm build\` first.`);
    }
    if (newestChange(join(folder, "src")) > newestChange(dist)) {
      throw new Error(
        `Start-up benchmark: packages/${name}/dist is older than its sources; run \`pnpm build\` first.`,
      );
    }
  }
}

/** The latest modification time of a file under `folder` other than a test, in ms since the epoch. */
function newestChange(folder: string): number {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.includes(".test."))
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/** The `q` quantile of ascending `sorted`, interpolated between the two nearest samples. */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = sorted[Math.floor(position)] ?? 0;
  const above = sorted[Math.ceil(position)] ?? below;
  return below + (above - below) * (position - Math.floor(position));
}
