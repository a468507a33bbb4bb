import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleSizeDescription, bundleSizeTable } from "./bundleSize";
import { faultsTable } from "./faults";
import { fuzzTable } from "./fuzz";
import { loadScenario, loadTable } from "./load";
import { describeMachine } from "./machine";
import { redisFleetsDescription, redisFleetsTable } from "./redisFleets";
import { refreshConcurrencyTable } from "./refreshConcurrency";
import { runtimesDescription, runtimesTable } from "./runtimes";
import { sandboxThroughputDescription, sandboxThroughputTable } from "./sandboxThroughput";
import { secretsDescription, secretsTable } from "./secrets";
import { benchmarkSigning, signingTable } from "./signing";
import { startupDescription, startupTable } from "./startup";
import { subscriptionsDescription, subscriptionsTable } from "./subscriptions";
import { verificationDescription, verificationTable } from "./verification";

// `pnpm bench`: runs every benchmark and writes BENCHMARKS.md at the repository root.
const output = resolve(dirname(fileURLToPath(import.meta.url)), "../../../BENCHMARKS.md");

const sections: string[] = [];
const section = (title: string, text: string, table: string) => {
  sections.push(`## ${title}\n\n${text}\n\n${table}\n`);
  console.log(`\n${title}\n${table}`);
};

section(
  "Signing: each backend beside OpenSSL",
  "The same random 64-byte messages, signed one after another into the wire format (low-S DER hex).",
  signingTable(await benchmarkSigning()),
);

section("Verifying device signatures beside OpenSSL", verificationDescription, await verificationTable());

section(
  "Refresh under concurrency",
  "1,000 concurrent `client.graphQL.rawQuery` calls while the access token is expired, against the sandbox on loopback; refresh requests counted by the sandbox (`/sandbox/stats`).",
  await refreshConcurrencyTable(),
);

section(
  "Fleets: one token shared through Redis, a Redis Cluster and Sentinel, with failovers",
  redisFleetsDescription,
  await redisFleetsTable(),
);

section("Browser bundle size", bundleSizeDescription, await bundleSizeTable());

section("Start-up: importing the SDK in a cold Node process", startupDescription, await startupTable());

section(
  "Faults injected and survived",
  "Every client call (grants, device binding, device and push MFA, GraphQL queries and mutations, REST GET and POST) through a loopback proxy that breaks the call's request one way per row; a call survives when it settles (never hangs), fails only with a typed error, is retried only when idempotent (and then succeeds), is sent once otherwise, keeps its token, and a refresh works after it. Then a randomized soak through the same proxy.",
  await faultsTable(),
);

section("Secret hygiene: secrets found in output", secretsDescription, await secretsTable());

section(
  "Fuzzing the sandbox: cases run, 5xx answers",
  "Property-based fuzzing (fast-check) of every sandbox endpoint.",
  await fuzzTable(),
);

section(
  "Load: complete flows at once against one sandbox process",
  `${loadScenario.flows.toLocaleString("en")} flows at once, each a user of its own: password login → device binding request (confirmed as the user) → bind (createDevice, the SMS OTP signed and verified) → confirm (device challenge) → refresh, driven from one process against the sandbox in another. State lives ${loadScenario.ttl} s and is pruned every ${loadScenario.pruneInterval} s; memory is the sandbox process's.`,
  await loadTable(),
);

section(
  "Sandbox throughput: the token endpoint beside a bare Hono route",
  sandboxThroughputDescription,
  await sandboxThroughputTable(),
);

section(
  "GraphQL subscriptions: events per second through one connection, reconnection after an expiry",
  subscriptionsDescription,
  await subscriptionsTable(),
);

section("Runtimes: the seed flow from the packed packages", runtimesDescription, await runtimesTable());

const header = `# Benchmarks

Written by \`pnpm bench\`; numbers from one run, not from unit tests.

- Date: ${new Date().toISOString()}
- Machine: ${describeMachine()}
`;
writeFileSync(output, `${header}\n${sections.join("\n")}`);
console.log(`\nWrote ${output}`);
