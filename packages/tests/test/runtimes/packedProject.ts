import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Manifest,
  readManifest,
  workspaceManifests,
  workspaceRoot,
} from "../../../../scripts/checkPackages";

// Workspace packages as users get them from npm: packed with pnpm (which turns `workspace:^` into real
// version ranges) and installed with npm, every tarball in one command, into a scratch folder outside the
// workspace, so nothing resolves through the workspace's links or TypeScript sources; the other
// dependencies come from the npm registry. apps/cli/test/packed.test.ts uses it too. The root
// `pnpm test` builds every package before vitest runs; this packs those builds.

const scope = "@kontist-auth/";

/** What a command printed and how it ended. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch npm project outside the workspace with packed workspace packages installed. */
export interface PackedProject {
  /** The project folder: `package.json`, `node_modules`; put the app's files here. */
  readonly project: string;
  /** The scratch folder holding the project, the tarballs and per-tool folders; removed by `remove`. */
  readonly scratch: string;
  /** The workspace packages installed from their tarballs, sorted by name. */
  readonly packages: readonly string[];
  /** The environment the tools ran with (see {@link cleanEnv}). */
  readonly env: NodeJS.ProcessEnv;
  /** Deletes the scratch folder. */
  remove(): Promise<void>;
}

/** The workspace's packages by name. */
function workspacePackages(): Map<string, string> {
  return new Map(workspaceManifests(workspaceRoot).map(({ dir, manifest }) => [manifest.name, dir]));
}

/** `names` and the workspace packages they depend on, transitively (dependencies and optionalDependencies). */
function workspaceClosure(names: readonly string[], packages: Map<string, string>): string[] {
  const found = new Set<string>();
  const pending = [...names];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (found.has(next)) continue;
    const dir = packages.get(next);
    if (dir === undefined) throw new Error(`${next} is not a package of this workspace.`);
    found.add(next);
    const manifest = readManifest(dir);
    const dependencies = { ...manifest.dependencies, ...manifest.optionalDependencies };
    pending.push(...Object.keys(dependencies).filter((dependency) => dependency.startsWith(scope)));
  }
  return [...found].sort();
}

/** Every built file a manifest points at (bin, main, module, types, exports, imports). */
function builtFiles(manifest: Manifest): string[] {
  const files: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") {
      if (value.startsWith("./dist/") || value.startsWith("dist/")) files.push(value);
    } else if (typeof value === "object" && value !== null) {
      for (const inner of Object.values(value)) collect(inner);
    }
  };
  for (const field of ["bin", "main", "module", "types", "exports", "imports"]) collect(manifest[field]);
  return [...new Set(files)];
}

/** Fails, naming the files, when a package has not been built: the tarball would ship without them. */
function assertBuilt(name: string, dir: string): void {
  const files = builtFiles(readManifest(dir));
  const missing = files.filter((file) => !existsSync(join(dir, file)));
  if (files.length === 0 || missing.length > 0) {
    throw new Error(
      `${name} is not built (missing ${missing.join(", ") || "any dist file"} in ${dir}): run \`pnpm build\` first.`,
    );
  }
}

/**
 * This process's environment without what a surrounding pnpm, npm or vitest run exported (`npm_config_*`
 * but registry, proxy and certificate settings; `NODE_OPTIONS`, which may carry the workspace's source
 * condition) or a Kontist setting.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const kept = /^npm_config_(registry|cafile|cache|userconfig|https?_proxy|proxy|noproxy|strict_ssl)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) && !kept.test(key)) continue;
    if (/^KONTIST_/.test(key) || key === "NODE_OPTIONS" || key.startsWith("VITEST")) continue;
    env[key] = value;
  }
  return env;
}

/** Runs a command without a shell, killed after `timeoutMs`. Never rejects: the exit code is in the result. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandRun> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 32 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a setup step. @throws {Error} with the step's stderr when it exits with another code than 0. */
async function mustRun(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv) {
  const result = await runCommand(command, args, { cwd, env });
  if (result.code !== 0) {
    throw new Error(`\`${command} ${args.join(" ")}\` in ${cwd} exited ${result.code}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Fails unless npm installed every package of `packages` from a tarball in `../tarballs/`, none from a registry. */
function assertFromTarballs(project: string, packages: readonly string[]): void {
  const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as {
    packages: Record<string, { resolved?: string }>;
  };
  for (const name of packages) {
    const resolved = lock.packages[`node_modules/${name}`]?.resolved ?? "not installed";
    if (!resolved.startsWith("file:../tarballs/")) {
      throw new Error(`npm installed ${name} from ${resolved}, not from its packed tarball.`);
    }
  }
}

/**
 * Packs `names` and the workspace packages they depend on with the workspace's pnpm (`pnpm pack`), and
 * installs the tarballs with npm into a new project in a scratch folder under the system's temp folder
 * (their other dependencies from the registry). `fromRegistry` adds packages from the registry to the
 * same install (`"typescript@5.9.3"`): tools the project's own files need.
 *
 * @throws {Error} when a package is not built (run `pnpm build`), is not in the workspace, or a pack or
 *   install step fails (with its stderr).
 * @example
 * const packed = await installPackedPackages(["@kontist-auth/client"], "kontist-auth-app-");
 * // import "@kontist-auth/client" from a file in packed.project
 * await packed.remove();
 */
export async function installPackedPackages(
  names: readonly string[],
  prefix = "kontist-auth-packed-",
  fromRegistry: readonly string[] = [],
): Promise<PackedProject> {
  const workspace = workspacePackages();
  const packages = workspaceClosure(names, workspace);
  for (const name of packages) assertBuilt(name, workspace.get(name) ?? "");
  const pnpm = readManifest(workspaceRoot).packageManager ?? "";
  if (!pnpm.startsWith("pnpm@")) throw new Error(`The root package.json names no pnpm version: "${pnpm}".`);

  const scratch = await mkdtemp(join(tmpdir(), prefix));
  const remove = () => rm(scratch, { recursive: true, force: true });
  try {
    if (scratch.startsWith(workspaceRoot)) throw new Error(`${scratch} is inside the workspace.`);
    const tarballs = join(scratch, "tarballs");
    const project = join(scratch, "project");
    await Promise.all([mkdir(tarballs), mkdir(project)]);
    const env = { ...cleanEnv(), npm_config_update_notifier: "false" };

    const tarballFiles = await Promise.all(
      packages.map(async (name) => {
        const args = ["-y", pnpm, "pack", "--pack-destination", tarballs, "--json"];
        const output = await mustRun("npx", args, workspace.get(name) ?? "", env);
        return (JSON.parse(output) as { filename: string }).filename;
      }),
    );
    await mustRun("npm", ["init", "-y"], project, env);
    await mustRun(
      "npm",
      ["install", "--no-audit", "--no-fund", ...tarballFiles, ...fromRegistry],
      project,
      env,
    );
    assertFromTarballs(project, packages);
    return { project, scratch, packages, env, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
