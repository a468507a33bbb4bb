import { loadavg } from "node:os";
import { loadSteps } from "../test/load/loadFlow";
import type { SandboxMemory } from "../test/load/loadMessages";
import { type LoadScenario, runLoadScenario, transientState } from "../test/load/loadScenario";

/**
 * 1,000 complete flows at once against one sandbox process: password login → device binding request
 * (confirmed as the user) → bind (createDevice, the SMS OTP signed and verified) → confirm (device
 * challenge) → refresh. State lives `ttl` seconds and is pruned every `pruneInterval`; access tokens are
 * JWTs the sandbox does not keep. A warm-up of 200 flows and a reset come first, so `before` is a warm
 * sandbox with no state.
 */
export const loadScenario: LoadScenario = { flows: 1_000, warmup: 200, ttl: 90, pruneInterval: 1 };

const ms = (value: number) => value.toFixed(0);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const memoryRow = (label: string, memory: SandboxMemory) =>
  `| ${label} | ${mb(memory.heapUsed)} | ${mb(memory.rss)} | ${memory.state.total} | ${transientState(memory.state)} |`;

/** Runs {@link loadScenario} and answers its tables for BENCHMARKS.md. */
export async function loadTable(scenario: LoadScenario = loadScenario): Promise<string> {
  const [load] = loadavg();
  const run = await runLoadScenario(scenario);
  const { report, memory } = run;
  const { before, afterFlows, settled } = memory;
  const errors = [...run.warmup.errors, ...report.errors].map(({ error, flows }) => `- ${flows} × ${error}`);
  return [
    `Load average when it started: ${(load ?? 0).toFixed(1)} (on ${scenario.flows} flows; figures scale with it).`,
    "",
    "| flows at once | failed | wall time s | flows/s | flow p50 ms | flow p99 ms | flow max ms |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${report.flows} | ${report.failed} | ${(report.wallMs / 1000).toFixed(1)} | ${report.flowsPerSecond.toFixed(1)} | ${ms(report.flow.p50)} | ${ms(report.flow.p99)} | ${ms(report.flow.max)} |`,
    "",
    "| step | p50 ms | p99 ms | max ms |",
    "| --- | ---: | ---: | ---: |",
    ...loadSteps.map((step) => {
      const latency = report.steps[step];
      return `| ${step} | ${ms(latency.p50)} | ${ms(latency.p99)} | ${ms(latency.max)} |`;
    }),
    "",
    "| sandbox process | heap used MB | RSS MB | state entries | of which not bound devices |",
    "| --- | ---: | ---: | ---: | ---: |",
    memoryRow("before (warm, after a reset, full GC)", before),
    `| peak during the flows (sampled every 20 ms, garbage included) | ${mb(afterFlows.peakHeapUsed)} | ${mb(afterFlows.peakRss)} | — | — |`,
    memoryRow("right after the flows (full GC)", afterFlows),
    memoryRow(`settled, ${(run.settleMs / 1000).toFixed(1)} s later (pruned, full GC)`, settled),
    ...(errors.length === 0 ? [] : ["", "Errors:", ...errors]),
  ].join("\n");
}
