import { type RuntimeRun, seedFlowRuntimes } from "../test/runtimes/seedFlowRuntimes";
import { startSeedFlowSession } from "../test/runtimes/seedFlowSession";

// The seed flow's time per runtime, from the packed packages: the same app, session and runtimes as
// src/runtimes.test.ts, run a few times each.

const warmups = 1;
const runs = 5;

/** What `pnpm bench` writes above the table. */
export const runtimesDescription = `The seed flow — password login, a device binding request confirmed as the user, \`bind\` with a non-extractable WebCrypto P-256 key, \`confirm\`, \`refresh\`, \`{ viewer { mainAccount { iban } } }\` — from the packed packages (\`pnpm pack\`, installed with npm in a scratch project), against the sandbox on loopback in the bench's Node process, which also plays the user (the e-mail's link, the SMS). Each run starts the runtime afresh: a process (\`node\`, \`bun run\`, \`deno run\` with \`npm:\` specifiers from the project's node_modules), a workerd through miniflare (one Worker bundle, no \`nodejs_compat\`), a headless Chromium loading a page bundle. **Flow** is timed by the runtime's own clock from \`new Client\` to the GraphQL answer (workerd's clock advances only across I/O); **start to result** by the bench, from starting the runtime to having the flow's result (process spawn, workerd start-up or browser launch included). Medians of ${runs} runs per runtime after ${warmups} warm-up, the runtimes one after another.`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Runs the seed flow in every runtime and returns a markdown table of median flow and start-to-result
 * times.
 *
 * @throws {Error} when a runtime is missing, a package is not built (run `pnpm build`), or a flow fails.
 */
export async function runtimesTable(): Promise<string> {
  const missing = seedFlowRuntimes.filter((runtime) => runtime.missing !== undefined);
  if (missing.length > 0) {
    throw new Error(`Runtimes benchmark: ${missing.map((r) => `${r.label}: ${r.missing}`).join("; ")}`);
  }
  const session = await startSeedFlowSession(seedFlowRuntimes.map((runtime) => runtime.name));
  try {
    const rows: string[] = [];
    for (const runtime of seedFlowRuntimes) {
      const measured: RuntimeRun[] = [];
      for (let round = 0; round < warmups + runs; round++) {
        const run = await runtime.run(session.app, session.userUrl(runtime.name));
        if (!run.result.refreshed.confirmed || run.result.iban === "") {
          throw new Error(
            `Runtimes benchmark: ${runtime.label} did not end with a confirmed token and an IBAN.`,
          );
        }
        if (round >= warmups) measured.push(run);
      }
      const flow = median(measured.map((run) => run.result.flowMs));
      const wall = median(measured.map((run) => run.wallMs));
      const reported = measured[0]?.result.runtime ?? "";
      rows.push(`| ${runtime.label} | \`${reported}\` | ${flow.toFixed(0)} | ${wall.toFixed(0)} |`);
    }
    return [
      `| runtime | reports itself as | flow, median ms | start to result, median ms |`,
      "| --- | --- | ---: | ---: |",
      ...rows,
    ].join("\n");
  } finally {
    await session.close();
  }
}
