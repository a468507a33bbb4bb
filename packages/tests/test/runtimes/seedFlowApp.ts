import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Plugin } from "esbuild";

// The seed-flow app (./app) built into a scratch project that has the packed packages installed, once per
// kind of runtime, the way an app's author would: a script that imports the packages from node_modules
// (Node, Bun), the same with `npm:` specifiers (Deno), a Worker bundle (workerd) and a page bundle
// (Chromium). The app's source is copied into the project first, so every import resolves there.

const appSource = fileURLToPath(new URL("./app", import.meta.url));

/** The built seed-flow app inside a project. */
export interface SeedFlowApp {
  /** The project folder. */
  readonly project: string;
  /** `seed-flow.mjs`: ESM for Node and Bun, importing the packages from node_modules. */
  readonly script: string;
  /** `seed-flow.deno.mjs`: the same, with `npm:` specifiers; `deno.json` says `"nodeModulesDir": "manual"`. */
  readonly denoScript: string;
  /** The Worker, one ES module with every package bundled (conditions `workerd`, `worker`, `browser`). */
  readonly worker: string;
  /** The page's script, one ES module with every package bundled for browsers. */
  readonly page: string;
}

/** Every bare import (a package) external, as `npm:<name>` for Deno. */
const npmSpecifiers: Plugin = {
  name: "npm-specifiers",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) => ({ path: `npm:${path}`, external: true }));
  },
};

async function bundle(options: BuildOptions): Promise<string> {
  const result = await build({
    bundle: true,
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "silent",
    ...options,
  });
  const [file] = result.outputFiles ?? [];
  if (file === undefined) throw new Error("esbuild produced no output");
  return file.text;
}

/**
 * Copies the app into `project/app` and builds it for every runtime, writing the scripts and `deno.json`
 * into `project`.
 *
 * @throws esbuild's error when an import does not resolve (e.g. a Node built-in in the Worker or page
 *   bundle: both are built for the browser platform, where esbuild refuses them).
 */
export async function buildSeedFlowApp(project: string): Promise<SeedFlowApp> {
  const app = join(project, "app");
  await cp(appSource, app, { recursive: true });
  const entry = (name: string) => ({ entryPoints: [join(app, name)], absWorkingDir: project });

  const [script, denoScript, worker, page] = await Promise.all([
    bundle({ ...entry("cli.ts"), platform: "node", packages: "external" }),
    bundle({ ...entry("cli.ts"), platform: "node", plugins: [npmSpecifiers] }),
    bundle({ ...entry("worker.ts"), platform: "browser", conditions: ["workerd", "worker", "browser"] }),
    bundle({ ...entry("page.ts"), platform: "browser", minify: true }),
  ]);
  const files = {
    script: join(project, "seed-flow.mjs"),
    denoScript: join(project, "seed-flow.deno.mjs"),
  };
  await Promise.all([
    writeFile(files.script, script),
    writeFile(files.denoScript, denoScript),
    writeFile(join(project, "deno.json"), `${JSON.stringify({ nodeModulesDir: "manual" }, null, 2)}\n`),
  ]);
  return { project, ...files, worker, page };
}
