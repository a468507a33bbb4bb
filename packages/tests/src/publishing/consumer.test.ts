import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishedPackages, workspaceRoot } from "../../../../scripts/checkPackages";
import {
  flowProgram,
  kitsTestFile,
  specifiers,
  typesConfig,
  typesProgram,
} from "../../test/consumer/consumerFiles";
import { installPackedPackages, type PackedProject, runCommand } from "../../test/runtimes/packedProject";

// A team's project, outside the workspace, with every published package installed from its packed
// tarball (pnpm pack, npm install): the seed flow runs from ESM and from CJS with every entry point loaded,
// the ESM-only conformance kits run under vitest, and TypeScript checks the project under node10, node16
// (ESM and CJS files) and bundler resolution. The root `pnpm test` builds the packages first.

const packages = publishedPackages();
const allEntryPoints = specifiers(packages, { esmOnly: true });
const requirableEntryPoints = specifiers(packages, { esmOnly: false });
const esmOnlyEntryPoints = allEntryPoints.filter((specifier) => !requirableEntryPoints.includes(specifier));

/** The versions the workspace itself builds and tests with, for the project's own tools. */
function workspaceVersion(name: string): string {
  const root = JSON.parse(readFileSync(join(workspaceRoot, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const version = root.devDependencies[name];
  if (version === undefined) throw new Error(`The root package.json has no devDependency ${name}.`);
  return `${name}@${version}`;
}

let packed: PackedProject;
beforeAll(async () => {
  packed = await installPackedPackages(
    packages.map((pkg) => pkg.name),
    "kontist-auth-consumer-",
    ["typescript", "@types/node", "vitest"].map(workspaceVersion),
  );
}, 300_000);
afterAll(async () => {
  await packed?.remove();
});

interface FlowOutput {
  exported: Record<string, string[]>;
  confirmed: boolean;
  iban: string;
  refused: string;
}

async function runFlow(file: string, entryPoints: readonly string[]): Promise<FlowOutput> {
  const env = {
    ...packed.env,
    ENTRY_POINTS: JSON.stringify(entryPoints),
    TOKEN_FILE: join(packed.scratch, `${file}.token.json`),
  };
  const run = await runCommand(process.execPath, [file], { cwd: packed.project, env });
  expect(run.code, `${file}:\n${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as FlowOutput;
}

describe("a project that installs every published package from its tarball", () => {
  it("is all nine packages, each entry point of them", () => {
    expect(packed.packages).toEqual(packages.map((pkg) => pkg.name));
    expect(packages.length).toBe(9);
    expect(esmOnlyEntryPoints).toEqual(["@kontist-auth/crypto/testing", "@kontist-auth/token-store/testing"]);
  });

  it("runs the seed flow from ESM and from CJS, each entry point exporting the same names", async () => {
    await writeFile(join(packed.project, "flow.mjs"), flowProgram("esm"));
    await writeFile(join(packed.project, "flow.cjs"), flowProgram("cjs"));
    const [esm, cjs] = await Promise.all([
      runFlow("flow.mjs", requirableEntryPoints),
      runFlow("flow.cjs", requirableEntryPoints),
    ]);
    for (const output of [esm, cjs]) {
      expect(output.confirmed).toBe(true);
      expect(output.iban).toMatch(/^DE\d{20}$/);
      expect(output.refused).toBe("OAUTH2_ERROR");
      expect(Object.keys(output.exported)).toEqual(requirableEntryPoints);
      for (const [specifier, names] of Object.entries(output.exported)) {
        expect(names.length, specifier).toBeGreaterThan(0);
      }
    }
    expect(cjs.exported).toEqual(esm.exported);
  }, 120_000);

  it("refuses require() of the /testing kits, which run under vitest from ESM", async () => {
    const script = `try { require(${JSON.stringify(esmOnlyEntryPoints[0])}); } catch (error) { console.log(error.code); }`;
    const required = await runCommand(process.execPath, ["-e", script], {
      cwd: packed.project,
      env: packed.env,
    });
    expect(required.stdout.trim()).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");

    await writeFile(join(packed.project, "kits.test.mjs"), kitsTestFile);
    const vitest = join(packed.project, "node_modules", "vitest", "vitest.mjs");
    const run = await runCommand(process.execPath, [vitest, "run", "--reporter=verbose", "kits.test.mjs"], {
      cwd: packed.project,
      env: { ...packed.env, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" },
      timeoutMs: 180_000,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/software signer, installed .*✓|✓ .*software signer, installed/);
    expect(run.stdout).toMatch(/✓ .*memoryStore, installed/);
    expect(run.stdout).not.toMatch(/skipped|failed/);
  }, 240_000);

  const checks = [
    {
      name: "node10",
      compilerOptions: { module: "commonjs", moduleResolution: "node10" },
      files: { "types-node10.ts": requirableEntryPoints },
    },
    {
      name: "node16",
      compilerOptions: { module: "node16", moduleResolution: "node16" },
      files: { "types-node16.mts": allEntryPoints, "types-node16.cts": requirableEntryPoints },
    },
    {
      name: "bundler",
      compilerOptions: { module: "esnext", moduleResolution: "bundler" },
      files: { "types-bundler.ts": allEntryPoints },
    },
  ];
  for (const check of checks) {
    it(`type-checks under moduleResolution ${check.name}, the packages' declarations included`, async () => {
      for (const [file, entryPoints] of Object.entries(check.files)) {
        await writeFile(join(packed.project, file), typesProgram(entryPoints));
      }
      const config = `tsconfig.${check.name}.json`;
      await writeFile(
        join(packed.project, config),
        typesConfig(check.compilerOptions, Object.keys(check.files)),
      );
      const tsc = join(packed.project, "node_modules", "typescript", "bin", "tsc");
      const run = await runCommand(process.execPath, [tsc, "-p", config], {
        cwd: packed.project,
        env: packed.env,
      });
      expect(`${run.stdout}${run.stderr}`.trim()).toBe("");
      expect(run.code).toBe(0);
    }, 120_000);
  }
});
