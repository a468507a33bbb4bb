import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { publishedPackages, workspaceRoot } from "../../../../scripts/checkPackages";
import { runCommand } from "../../test/runtimes/packedProject";

// `pnpm docs` builds the API reference from the doc comments (TypeDoc, typedoc.json at the root): it must
// build with no warning (a broken {@link}, a public type referenced but not exported), every library
// package in it. Written to a scratch folder here, to docs/api/ by `pnpm docs`.

let out: string | undefined;
afterAll(async () => {
  if (out !== undefined) await rm(out, { recursive: true, force: true });
});

describe("the API reference (pnpm docs)", () => {
  it("builds without a warning, with a page for every library package", async () => {
    out = await mkdtemp(join(tmpdir(), "kontist-auth-api-"));
    const typedoc = join(workspaceRoot, "node_modules", ".bin", "typedoc");
    const run = await runCommand(typedoc, ["--out", out, "--treatWarningsAsErrors"], {
      cwd: workspaceRoot,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      timeoutMs: 240_000,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\[warning\]/);
    expect(existsSync(join(out, "index.html"))).toBe(true);
    const modules = await readdir(join(out, "modules"));
    // The libraries (every published package with entry points; the CLI is a command, not an API). A
    // package with several entry points has a page per entry point, named by its import path (each entry
    // file's `@module` comment): `_kontist-auth_client._kontist-auth_client_oauth.html`.
    for (const pkg of publishedPackages().filter((candidate) => candidate.entryPoints.length > 0)) {
      const page = pkg.name.replace("@", "_").replace("/", "_");
      expect(modules, pkg.name).toContain(`${page}.html`);
      if (pkg.entryPoints.length === 1) continue;
      for (const subpath of pkg.entryPoints) {
        const entry = subpath === "." ? page : `${page}_${subpath.slice(2)}`;
        expect(modules, `${pkg.name}${subpath.slice(1)}`).toContain(`${page}.${entry}.html`);
      }
    }
  }, 300_000);
});
