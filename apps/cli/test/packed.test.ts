import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `npx kontist-auth` as a user gets it from npm: the CLI and every workspace package it needs are packed
// with pnpm (which turns `workspace:^` into real version ranges) and installed with npm, all tarballs in
// one command, into a scratch folder outside the workspace, so nothing resolves through the workspace's
// links or TypeScript sources; the other dependencies come from the npm registry. The root `pnpm test`
// builds every package before vitest runs; this test packs those builds.

const workspaceRoot = fileURLToPath(new URL("../../..", import.meta.url));
const cliName = "@kontist-auth/cli";
const scope = "@kontist-auth/";
const commandNames = ["login", "device", "confirm", "token", "graphql", "logout", "sandbox", "demo"];

interface Manifest {
  name: string;
  version: string;
  packageManager?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/** The workspace's packages by name, from the folders pnpm-workspace.yaml lists (packages/*, apps/*). */
function workspacePackages(): Map<string, string> {
  const packages = new Map<string, string>();
  for (const group of ["packages", "apps"]) {
    for (const entry of readdirSync(join(workspaceRoot, group), { withFileTypes: true })) {
      const dir = join(workspaceRoot, group, entry.name);
      if (entry.isDirectory() && existsSync(join(dir, "package.json"))) {
        packages.set(readManifest(dir).name, dir);
      }
    }
  }
  return packages;
}

/** `name` and the workspace packages it depends on, transitively (dependencies and optionalDependencies). */
function workspaceClosure(name: string, packages: Map<string, string>): string[] {
  const found = new Set<string>();
  const pending = [name];
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
 * The environment for npm, pnpm and the CLI: this one without what a surrounding pnpm or npm run exported
 * (`npm_config_yes`, `npm_config_prefix`, …) or a Kontist setting, and with a config folder of its own.
 * Registry, proxy and certificate settings stay.
 */
function cleanEnv(configDir: string): NodeJS.ProcessEnv {
  const kept = /^npm_config_(registry|cafile|cache|userconfig|https?_proxy|proxy|noproxy|strict_ssl)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) && !kept.test(key)) continue;
    if (/^KONTIST_/.test(key)) continue;
    env[key] = value;
  }
  env.KONTIST_AUTH_CONFIG_DIR = configDir;
  return env;
}

/** Runs a command without a shell. Never rejects: the exit code is in the result. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a setup step. @throws {Error} with the step's stderr when it exits with another code than 0. */
async function mustRun(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`\`${command} ${args.join(" ")}\` in ${cwd} exited ${result.code}:\n${result.stderr}`);
  }
  return result.stdout;
}

describe("the packed CLI, installed with npm in a scratch folder", () => {
  const packages = workspacePackages();
  const packed = workspaceClosure(cliName, packages);
  let scratch = "";
  let project = "";
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    for (const name of packed) assertBuilt(name, packages.get(name) ?? "");
    const pnpm = readManifest(workspaceRoot).packageManager ?? "";
    if (!pnpm.startsWith("pnpm@")) throw new Error(`The root package.json names no pnpm version: "${pnpm}".`);

    scratch = await mkdtemp(join(tmpdir(), "kontist-auth-packed-"));
    if (scratch.startsWith(workspaceRoot)) throw new Error(`${scratch} is inside the workspace.`);
    const tarballs = join(scratch, "tarballs");
    project = join(scratch, "project");
    await Promise.all([mkdir(tarballs), mkdir(project)]);
    env = cleanEnv(join(scratch, "config"));

    const tarballFiles = await Promise.all(
      packed.map(async (name) => {
        const dir = packages.get(name) ?? "";
        const args = ["-y", pnpm, "pack", "--pack-destination", tarballs, "--json"];
        const { filename } = JSON.parse(await mustRun("npx", args, dir, env)) as { filename: string };
        return filename;
      }),
    );
    await mustRun("npm", ["init", "-y"], project, env);
    await mustRun("npm", ["install", "--no-audit", "--no-fund", ...tarballFiles], project, env);
  }, 300_000);

  afterAll(async () => {
    if (scratch !== "") await rm(scratch, { recursive: true, force: true });
  });

  it("installs every @kontist-auth package from its tarball, none from the registry", () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, { resolved?: string; version?: string }>;
    };
    const installed = Object.entries(lock.packages)
      .filter(([path]) => path.includes(`node_modules/${scope}`))
      .map(([path, entry]) => ({
        path,
        resolved: entry.resolved?.replace(/[^/]*$/, ""),
        version: entry.version,
      }));
    expect(installed).toEqual(
      packed.map((name) => ({
        path: `node_modules/${name}`,
        resolved: "file:../tarballs/",
        version: readManifest(packages.get(name) ?? "").version,
      })),
    );
    expect(existsSync(join(project, "node_modules/.bin/kontist-auth"))).toBe(true);
  });

  it("prints its usage with every command for `npx kontist-auth --help`", async () => {
    // The bin link is checked first: without it, npx would fetch whatever `kontist-auth` the registry has.
    expect(existsSync(join(project, "node_modules/.bin/kontist-auth"))).toBe(true);
    const help = await run("npx", ["kontist-auth", "--help"], project, env);

    expect(help, help.stderr).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/^Usage: kontist-auth /);
    const listed = help.stdout.split("Commands:\n")[1] ?? "";
    for (const command of commandNames) expect(listed).toMatch(new RegExp(`^ {2}${command}\\b`, "m"));
  }, 60_000);

  it("runs the whole device-binding flow for `npx kontist-auth demo`", async () => {
    expect(existsSync(join(project, "node_modules/.bin/kontist-auth"))).toBe(true);
    const demo = await run("npx", ["kontist-auth", "demo"], project, env);

    expect(demo, demo.stderr).toMatchObject({ code: 0 });
    const lines = demo.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^1\. Sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.at(-1)).toMatch(
      /^✔ The refreshed access token is confirmed \(cnf\.kid = [0-9a-f-]{36}\)\.$/,
    );
  }, 60_000);
});
