import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Manifest,
  type PublishedPackage,
  publishedPackages,
  workspaceManifests,
  workspaceRoot,
} from "../../../../scripts/checkPackages";
import { runCommand } from "../../test/runtimes/packedProject";

// Releases as `pnpm changeset version` cuts them, on a copy of the workspace's manifests and changeset
// configuration: independent versions, a changed package bumps itself and the packages that depend on it
// (their internal ranges updated), nothing else; the private apps and tests are never versioned.

const published = publishedPackages();
const changesetBin = join(workspaceRoot, "node_modules", "@changesets", "cli", "bin.js");
let scratch: string | undefined;

afterEach(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** The workspace's manifests and `.changeset/` copied into a scratch folder; `pending` keeps the changesets. */
async function copyWorkspace({ pending }: { pending: boolean }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kontist-auth-changesets-"));
  scratch = dir;
  for (const file of ["package.json", "pnpm-workspace.yaml"]) {
    await cp(join(workspaceRoot, file), join(dir, file));
  }
  await cp(join(workspaceRoot, ".changeset"), join(dir, ".changeset"), {
    recursive: true,
    filter: (source) => pending || !source.endsWith(".md") || source.endsWith("README.md"),
  });
  for (const { dir: packageDir } of workspaceManifests()) {
    const copy = join(dir, relative(workspaceRoot, packageDir));
    await mkdir(copy, { recursive: true });
    await cp(join(packageDir, "package.json"), join(copy, "package.json"));
  }
  // The changelog generator is resolved from the project, as in the workspace.
  await symlink(join(workspaceRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** The manifests of the workspace copy in `dir` by name, each with its folder. */
function manifests(dir: string): Map<string, Manifest & { folder: string }> {
  return new Map(
    workspaceManifests(dir).map(({ dir: folder, manifest }) => [manifest.name, { ...manifest, folder }]),
  );
}

async function changesetVersion(dir: string): Promise<void> {
  const run = await runCommand(process.execPath, [changesetBin, "version"], { cwd: dir, env: process.env });
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
}

/** `name` and every published package that depends on it, directly or through others. */
function withDependents(name: string, packages: readonly PublishedPackage[]): string[] {
  const found = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pkg of packages) {
      if (!found.has(pkg.name) && pkg.workspaceDependencies.some((dependency) => found.has(dependency))) {
        found.add(pkg.name);
        grew = true;
      }
    }
  }
  return [...found].sort();
}

function bumpPatch(version: string): string {
  const [major, minor, patch] = version.split(".").map(Number);
  return `${major}.${minor}.${(patch ?? 0) + 1}`;
}

describe("pnpm changeset version", () => {
  it("is configured for independent versions, private packages left alone", async () => {
    const config = JSON.parse(await readFile(join(workspaceRoot, ".changeset", "config.json"), "utf8"));
    expect(config).toMatchObject({ fixed: [], linked: [], privatePackages: { version: false, tag: false } });
    expect(published.map((pkg) => pkg.name)).toEqual([
      "@kontist-auth/cli",
      "@kontist-auth/client",
      "@kontist-auth/crypto",
      "@kontist-auth/crypto-keychain",
      "@kontist-auth/crypto-pkcs11",
      "@kontist-auth/protocol",
      "@kontist-auth/sandbox",
      "@kontist-auth/token-store",
      "@kontist-auth/token-store-redis",
    ]);
    // Every published package starts at the same minor.
    expect(new Set(published.map((pkg) => pkg.version.replace(/\.\d+$/, "")))).toEqual(new Set(["0.1"]));
  });

  it("bumps a patched package and its dependents only, with their ranges and changelogs", async () => {
    const dir = await copyWorkspace({ pending: false });
    const before = manifests(dir);
    const sample = "@kontist-auth/token-store";
    await writeFile(
      join(dir, ".changeset", "sample-fix.md"),
      `---\n"${sample}": patch\n---\n\nA sample fix in the token store.\n`,
    );
    await changesetVersion(dir);
    const after = manifests(dir);

    const bumped = [...after.values()].filter((pkg) => pkg.version !== before.get(pkg.name)?.version);
    const expected = withDependents(sample, published);
    expect(expected).toEqual([
      "@kontist-auth/cli",
      "@kontist-auth/client",
      "@kontist-auth/token-store",
      "@kontist-auth/token-store-redis",
    ]);
    expect(bumped.map((pkg) => pkg.name).sort()).toEqual(expected);
    for (const pkg of bumped) {
      expect(pkg.version).toBe(bumpPatch(before.get(pkg.name)?.version ?? ""));
      const changelog = await readFile(join(pkg.folder, "CHANGELOG.md"), "utf8");
      expect(changelog).toContain(`## ${pkg.version}`);
      expect(changelog).toContain(
        pkg.name === sample ? "A sample fix in the token store." : "Updated dependencies",
      );
    }
    // Internal ranges stay workspace ranges (pnpm publish writes the version); apps get real ranges.
    expect(after.get("@kontist-auth/client")?.dependencies?.[sample]).toBe("workspace:^");
    for (const [name, manifest] of after) {
      if (manifest.private === true) expect(manifest.version, name).toBe(before.get(name)?.version);
    }
  }, 60_000);

  it("releases the pending changesets as one minor for every published package, each with a changelog", async () => {
    const dir = await copyWorkspace({ pending: true });
    await changesetVersion(dir);
    const after = manifests(dir);
    const versions = new Set(published.map((pkg) => after.get(pkg.name)?.version));
    expect(versions).toEqual(new Set(["0.2.0"]));
    for (const pkg of published) {
      const changelog = await readFile(join(after.get(pkg.name)?.folder ?? "", "CHANGELOG.md"), "utf8");
      expect(changelog, pkg.name).toMatch(/^# @kontist-auth\/[\w-]+\n\n## 0\.2\.0\n\n### Minor Changes/);
    }
    // The examples depend on real ranges, moved to the new minor so they keep linking to the workspace.
    expect(after.get("kontist-auth-web-demo")?.dependencies?.["@kontist-auth/client"]).toBe("^0.2.0");
    expect(await readdir(join(dir, ".changeset"))).toEqual(expect.not.arrayContaining(["client-initial.md"]));
  }, 60_000);
});
