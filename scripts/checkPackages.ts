import { execFile, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Whether the packages we publish resolve for their users: publint --strict (the manifest, the exports map,
// the files in the tarball) and Are The Types Wrong (`attw --pack`: types and JavaScript of every entry
// point under TypeScript's node10, node16 from CJS and from ESM, and bundler resolution). The vitest-based
// `/testing` kits are ESM only (vitest cannot be require()d): attw checks them with its esm-only profile.
// Run by `pnpm check:packages` (part of `pnpm release`) and by packages/tests/src/publishing/, in CI.

/** The monorepo's root folder. */
export const workspaceRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/** The fields of a package.json these checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  packageManager?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** A workspace package that is published to npm. */
export interface PublishedPackage {
  name: string;
  version: string;
  /** The package folder, relative to the workspace root (`packages/client`). */
  dir: string;
  /** Subpaths of its exports map (`"."`, `"./oauth"`), `./package.json` aside. */
  entryPoints: string[];
  /** The entry points with an `import` branch but no `require` one (the `/testing` kits). */
  esmOnlyEntryPoints: string[];
  /** The workspace packages it depends on (dependencies, optional and peer dependencies). */
  workspaceDependencies: string[];
}

/** The package.json in `dir`. */
export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/**
 * Every package of the workspace under `root` — the folders of `packages/` and `apps/` with a
 * package.json, as pnpm-workspace.yaml lists them — with its folder (absolute).
 */
export function workspaceManifests(root = workspaceRoot): { dir: string; manifest: Manifest }[] {
  const found: { dir: string; manifest: Manifest }[] = [];
  for (const area of ["packages", "apps"]) {
    for (const entry of readdirSync(join(root, area), { withFileTypes: true })) {
      const dir = join(root, area, entry.name);
      if (entry.isDirectory() && existsSync(join(dir, "package.json")))
        found.push({ dir, manifest: readManifest(dir) });
    }
  }
  return found;
}

/** Every package under `packages/` and `apps/` whose manifest is not `"private": true`, sorted by name. */
export function publishedPackages(root = workspaceRoot): PublishedPackage[] {
  const found: PublishedPackage[] = [];
  for (const { dir, manifest } of workspaceManifests(root)) {
    if (manifest.private === true) continue;
    const entryPoints = Object.keys(manifest.exports ?? {}).filter((path) => path !== "./package.json");
    const esmOnlyEntryPoints = entryPoints.filter((path) => {
      const branches = manifest.exports?.[path];
      return typeof branches === "object" && branches !== null && !("require" in branches);
    });
    const dependencies = {
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
      ...manifest.peerDependencies,
    };
    found.push({
      name: manifest.name,
      version: manifest.version,
      dir: relative(root, dir),
      entryPoints,
      esmOnlyEntryPoints,
      workspaceDependencies: Object.keys(dependencies).filter((name) => name.startsWith("@kontist-auth/")),
    });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** One tool's verdict on one package. */
export interface PackageCheck {
  package: string;
  /** The command line, for the report (`attw --pack packages/client --exclude-entrypoints …`). */
  command: string;
  passed: boolean;
  output: string;
}

let pathWithPnpm: string | undefined;

/**
 * A PATH on which `pnpm` runs (publint packs with it): the current one when it has pnpm, else one with a
 * small `pnpm` script in front that runs the version the root package.json pins, through npx.
 */
function pathForTools(root: string): string {
  if (pathWithPnpm !== undefined) return pathWithPnpm;
  const path = process.env.PATH ?? "";
  if (spawnSync("pnpm", ["--version"], { stdio: "ignore" }).status === 0) {
    pathWithPnpm = path;
    return path;
  }
  const pinned = readManifest(root).packageManager ?? "";
  if (!pinned.startsWith("pnpm@"))
    throw new Error(`The root package.json pins no pnpm version: "${pinned}".`);
  const bin = mkdtempSync(join(tmpdir(), "kontist-auth-pnpm-"));
  writeFileSync(join(bin, "pnpm"), `#!/bin/sh\nexec npx -y ${pinned} "$@"\n`);
  chmodSync(join(bin, "pnpm"), 0o755);
  pathWithPnpm = `${bin}${delimiter}${path}`;
  return pathWithPnpm;
}

function runTool(root: string, name: string, tool: string, args: string[]): Promise<PackageCheck> {
  const bin = join(root, "node_modules", ".bin", tool);
  const env = { ...process.env, PATH: pathForTools(root), NO_COLOR: "1", FORCE_COLOR: "0" };
  return new Promise((done) => {
    execFile(
      bin,
      args,
      { cwd: root, env, timeout: 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        done({
          package: name,
          command: [tool, ...args].join(" "),
          passed: error === null,
          output: `${stdout}${stderr}`.trim(),
        });
      },
    );
  });
}

/**
 * Runs publint --strict and attw --pack on one published package (attw twice when it has ESM-only entry
 * points: every other entry point under the strict profile, those under esm-only).
 *
 * @throws {Error} when the workspace has no `node_modules/.bin/publint` or `attw` (run `pnpm install`).
 */
export async function checkPackage(pkg: PublishedPackage, root = workspaceRoot): Promise<PackageCheck[]> {
  for (const tool of ["publint", "attw"]) {
    if (!existsSync(join(root, "node_modules", ".bin", tool))) {
      throw new Error(`${tool} is not installed in ${root}: run \`pnpm install\`.`);
    }
  }
  const runs: string[][] = [];
  const attw = ["--pack", pkg.dir, "--format", "table-flipped", "--no-emoji"];
  const esmOnly = pkg.esmOnlyEntryPoints.map((path) => path.replace(/^\.\//, ""));
  if (esmOnly.length === 0) {
    runs.push(attw);
  } else {
    runs.push([...attw, "--exclude-entrypoints", ...esmOnly]);
    runs.push([...attw, "--profile", "esm-only", "--entrypoints", ...esmOnly]);
  }
  // One after the other: each packs the package into its folder under the same tarball name.
  const checks = [await runTool(root, pkg.name, "publint", ["--strict", pkg.dir])];
  for (const args of runs) checks.push(await runTool(root, pkg.name, "attw", args));
  return checks;
}

async function main(): Promise<void> {
  const failed: PackageCheck[] = [];
  for (const pkg of publishedPackages()) {
    for (const check of await checkPackage(pkg)) {
      console.log(`${check.passed ? "ok  " : "FAIL"} ${check.command}`);
      if (!check.passed) failed.push(check);
    }
  }
  for (const check of failed) console.error(`\n${check.command}:\n${check.output}`);
  if (failed.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
