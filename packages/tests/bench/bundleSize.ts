import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { bundleBudgets, measureBrowserBundle } from "../test/browser/bundleBudgets";

/** What `pnpm bench` writes above the table. */
export const bundleSizeDescription =
  "What an app loads up front for each use, bundled for browsers from the built packages as npm installs them (esbuild: ESM, minified, tree-shaken, code splitting; the entry chunk and the chunks it imports statically, gzip -9 as one; what loads on demand, such as graphql-ws or the authorization code flow, apart). The budget is what CI enforces (`packages/tests/src/bundleBudgets.test.ts`), the goal what issue 12 aims at. The peer is Kontist's own SDK as it ships for browsers (`kontist/dist/bundle.js`, already minified), which carries all of its flows.";

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

/** The bundle sizes of {@link bundleBudgets} beside Kontist's SDK, as a markdown table. */
export async function bundleSizeTable(): Promise<string> {
  const kontist = readFileSync(createRequire(import.meta.url).resolve("kontist/dist/bundle.js"));
  const kontistGzipped = gzipSync(kontist, { level: 9 }).length;
  const rows = [
    `| Kontist's SDK (\`kontist/dist/bundle.js\`), the peer | ${kb(kontist.length)} | ${kb(kontistGzipped)} | — | — | — | 1.00 |`,
  ];
  for (const { name, code, budget, goal } of bundleBudgets) {
    const size = await measureBrowserBundle(code);
    const verdict = size.gzipped <= goal ? "✅" : "❌ not yet";
    rows.push(
      `| ${name} | ${kb(size.minified)} | ${kb(size.gzipped)} | ${kb(size.onDemandGzipped)} | ${kb(budget)} | ${kb(goal)} ${verdict} | ${(size.gzipped / kontistGzipped).toFixed(2)} |`,
    );
  }
  return [
    "| bundle | up front, minified KB | up front, gzipped KB | on demand, gzipped KB | budget (CI), KB gz | goal, KB gz | gzipped ÷ Kontist's SDK |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
}
