import { fuzzSandboxRoutes, type RouteFuzzReport } from "../../sandbox/test/routeFuzz";

/** Fuzzed requests per endpoint in process (the Hono app's `fetch`), and over loopback HTTP. */
const inProcessRuns = 10_000;
const loopbackRuns = 1_000;

const count = (report: RouteFuzzReport, bucket: string) => report.statuses[bucket] ?? 0;
const thousands = (value: number) => value.toLocaleString("en-US");

/**
 * Every endpoint of the sandbox (enumerated from its Hono app) with 10,000 fuzzed requests in process and
 * 1,000 over loopback HTTP each: arbitrary methods, path parameters, queries, headers, content types and
 * bodies, with real tokens, ids, keys and signatures or without (see `packages/sandbox/test/routeFuzz.ts`).
 */
export async function fuzzTable(): Promise<string> {
  const seed = Date.now() % 2 ** 31;
  const started = performance.now();
  const inProcess = await fuzzSandboxRoutes({ runs: inProcessRuns, seed, transport: "in-process" });
  const loopback = await fuzzSandboxRoutes({ runs: loopbackRuns, seed, transport: "loopback" });
  const seconds = (performance.now() - started) / 1000;
  const rows = inProcess.map((report, index) => {
    const overHttp = loopback[index];
    return `| \`${report.route}\` | ${thousands(report.cases)} | ${thousands(count(report, "2xx") + count(report, "3xx"))} | ${thousands(count(report, "4xx"))} | **${report.serverErrors}** | ${thousands(overHttp?.cases ?? 0)} | **${overHttp?.serverErrors ?? "-"}** |`;
  });
  const total = (reports: RouteFuzzReport[], pick: (report: RouteFuzzReport) => number) =>
    thousands(reports.reduce((sum, report) => sum + pick(report), 0));
  const failures = [...inProcess, ...loopback].flatMap((report) =>
    report.failures.map((f) => `${report.route}: ${f.outcome}`),
  );
  return [
    `Seed ${seed}; ${inProcess.length} endpoints; ${seconds.toFixed(0)} s in all. A 5xx or a request left without an answer counts as a failure; so does an \`/api/user/*\` request let in with a bearer token the sandbox never issued (${total([...inProcess, ...loopback], (r) => r.forgedAccepted)} here).`,
    "",
    "| Endpoint | In process | 2xx/3xx | 4xx | 5xx | Loopback HTTP | 5xx |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    `| **all** | ${total(inProcess, (r) => r.cases)} | ${total(inProcess, (r) => count(r, "2xx") + count(r, "3xx"))} | ${total(inProcess, (r) => count(r, "4xx"))} | **${total(inProcess, (r) => r.serverErrors)}** | ${total(loopback, (r) => r.cases)} | **${total(loopback, (r) => r.serverErrors)}** |`,
    ...(failures.length === 0
      ? []
      : ["", "Failures:", "", ...failures.slice(0, 20).map((line) => `- ${line}`)]),
  ].join("\n");
}
