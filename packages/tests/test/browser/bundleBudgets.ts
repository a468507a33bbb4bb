import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { browserBuildOptions } from "./bundle";

/** What an app downloads before its code runs, and what it may load later on demand. */
export interface BundleSize {
  /** Minified bytes of the entry chunk and every chunk it imports statically. */
  minified: number;
  /** The same chunks gzipped (level 9) as one, as an app bundler that merges small chunks sends them. */
  gzipped: number;
  /** The same chunks each gzipped on its own, as esbuild's chunking leaves them (more, smaller files). */
  gzippedApart: number;
  /** Gzipped bytes of the chunks loaded only on demand (`import()`), not counted above. */
  onDemandGzipped: number;
}

/** A typical browser app's use of the SDK, with the most it may cost (gzipped bytes, 1 KB = 1,000 bytes). */
export interface BundleBudget {
  name: string;
  code: string;
  /** The ceiling CI enforces: a bundle over it fails the build. */
  budget: number;
  /** The size issue 12 aims at, where it is lower than the enforced ceiling. */
  goal: number;
}

const seedFlow = (signer: string) => `
const client = new Client({ baseUrl: "https://api.kontist.com", clientId: "app", scopes: ["users"] });
await client.auth.tokenManager.fetchTokenFromCredentials({ username: "user@example.com", password: "secret" });
const signer = ${signer};
await client.auth.device.bind({ signer, name: "Browser", onBindingRequest: () => {}, getOtp: () => Promise.resolve("123456") });
await client.auth.device.confirm({ signer });`;

/**
 * The bundles whose size CI holds to a budget: the seed flow (password login, `bind`, `confirm`) with a
 * WebCrypto signer and with the software signer, and all of `@kontist-auth/protocol`.
 */
export const bundleBudgets: readonly BundleBudget[] = [
  {
    name: "seed flow, WebCrypto signer (`Client`, password login, `bind`, `confirm`, `createWebCryptoSigner`)",
    code: `import { Client } from "@kontist-auth/client"; import { createWebCryptoSigner } from "@kontist-auth/crypto";${seedFlow("await createWebCryptoSigner()")}`,
    budget: 25_800,
    goal: 15_000,
  },
  {
    name: "seed flow, software signer (`createSoftwareSigner`)",
    code: `import { Client } from "@kontist-auth/client"; import { createSoftwareSigner } from "@kontist-auth/crypto";${seedFlow("createSoftwareSigner()")}`,
    budget: 40_800,
    goal: 30_000,
  },
  {
    name: "`@kontist-auth/protocol`, all of it",
    code: `import * as protocol from "@kontist-auth/protocol"; globalThis.protocol = protocol;`,
    budget: 11_200,
    goal: 6_000,
  },
];

/**
 * Bundles `code` for browsers as an app's bundler would (esbuild: ESM, minified, tree-shaken, code
 * splitting) from the built packages as npm installs them (each package's `dist`, through its `exports`),
 * and measures what loads up front: the entry chunk and the chunks it imports statically. Chunks reached
 * only through `import()` (subscriptions' WebSocket client, say) are reported apart.
 *
 * @throws the esbuild error when the code does not bundle (a missing `dist`: run `pnpm build`).
 */
export async function measureBrowserBundle(code: string): Promise<BundleSize> {
  const options = browserBuildOptions(code);
  const result = await build({ ...options, splitting: true, outdir: "/virtual", metafile: true });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined);
  if (entry === undefined) throw new Error("esbuild produced no entry chunk");
  const upFront = staticClosure(outputs, entry);
  const size = { minified: 0, gzipped: 0, gzippedApart: 0, onDemandGzipped: 0 };
  const upFrontCode: Uint8Array[] = [];
  for (const { path, contents } of result.outputFiles) {
    const gzipped = gzipSync(contents, { level: 9 }).length;
    // Metafile paths are relative to the working directory, output files' absolute.
    const name = Object.keys(outputs).find((output) => resolve(options.absWorkingDir, output) === path);
    if (name !== undefined && upFront.has(name)) {
      upFrontCode.push(contents);
      size.minified += contents.length;
      size.gzippedApart += gzipped;
    } else {
      size.onDemandGzipped += gzipped;
    }
  }
  size.gzipped = gzipSync(Buffer.concat(upFrontCode), { level: 9 }).length;
  return size;
}

/** `entry` and every output chunk it reaches through static imports. */
function staticClosure(outputs: Metafile["outputs"], entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const { path: imported, kind } of outputs[path]?.imports ?? []) {
      if (kind === "import-statement" && imported in outputs) visit(imported);
    }
  };
  visit(entry);
  return seen;
}
