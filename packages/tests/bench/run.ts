import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleSizeTable } from "./bundleSize";
import { describeMachine } from "./machine";
import { refreshConcurrencyTable } from "./refreshConcurrency";
import { benchmarkSigning, signingTable } from "./signing";

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

section(
  "Refresh under concurrency",
  "1,000 concurrent `client.graphQL.rawQuery` calls while the access token is expired, against the sandbox on loopback; refresh requests counted by the sandbox (`/sandbox/stats`).",
  await refreshConcurrencyTable(),
);

section(
  "Browser bundle size",
  "What an app pays for each import, bundled for browsers by esbuild (ESM, minified, tree-shaken).",
  await bundleSizeTable(),
);

const header = `# Benchmarks

Written by \`pnpm bench\`; numbers from one run, not from unit tests.

- Date: ${new Date().toISOString()}
- Machine: ${describeMachine()}
`;
writeFileSync(output, `${header}\n${sections.join("\n")}`);
console.log(`\nWrote ${output}`);
