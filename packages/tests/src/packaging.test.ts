import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// These tests load the *built* packages the way users do: plain Node, no source condition. The root
// `pnpm test` builds every package before vitest runs.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const here = resolve(root, "packages/tests");

interface EntryPoint {
  name: string;
  dir: string;
  subpath: string;
  sample: string;
  esmOnly?: boolean;
}

const entryPoints = [
  { name: "@kontist-auth/protocol", dir: "packages/protocol", subpath: ".", sample: "parseResponse" },
  {
    name: "@kontist-auth/protocol/errors",
    dir: "packages/protocol",
    subpath: "./errors",
    sample: "KontistAuthError",
  },
  { name: "@kontist-auth/crypto", dir: "packages/crypto", subpath: ".", sample: "verifyDeviceSignature" },
  {
    name: "@kontist-auth/crypto/backend",
    dir: "packages/crypto",
    subpath: "./backend",
    sample: "signWithSecretKey",
  },
  // The conformance kit is ESM only: it imports vitest, which cannot be require()d.
  {
    name: "@kontist-auth/crypto/testing",
    dir: "packages/crypto",
    subpath: "./testing",
    sample: "describeSignerConformance",
    esmOnly: true,
  },
  {
    name: "@kontist-auth/crypto-pkcs11",
    dir: "packages/crypto-pkcs11",
    subpath: ".",
    sample: "createPkcs11Signer",
  },
  { name: "@kontist-auth/token-store", dir: "packages/token-store", subpath: ".", sample: "memoryStore" },
  {
    name: "@kontist-auth/token-store/file",
    dir: "packages/token-store",
    subpath: "./file",
    sample: "fileStore",
  },
  {
    name: "@kontist-auth/token-store/testing",
    dir: "packages/token-store",
    subpath: "./testing",
    sample: "describeTokenStoreContract",
    esmOnly: true,
  },
  {
    name: "@kontist-auth/token-store-redis",
    dir: "packages/token-store-redis",
    subpath: ".",
    sample: "redisStore",
  },
  { name: "@kontist-auth/client", dir: "packages/client", subpath: ".", sample: "Client" },
  {
    name: "@kontist-auth/client/oauth",
    dir: "packages/client",
    subpath: "./oauth",
    sample: "createPkceVerifier",
  },
  { name: "@kontist-auth/sandbox", dir: "packages/sandbox", subpath: ".", sample: "startSandbox" },
] as const satisfies readonly EntryPoint[];

function exportNames(name: string, mode: "import" | "require"): string[] {
  const script =
    mode === "import"
      ? `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== "default").sort()));`
      : `const m = require(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m).sort()));`;
  const args = mode === "import" ? ["--input-type=module", "-e", script] : ["-e", script];
  const output = execFileSync(process.execPath, args, {
    cwd: here,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  return JSON.parse(output) as string[];
}

type Conditions = Record<string, unknown>;

describe.each<EntryPoint>(entryPoints)("$name as installed", ({ name, dir, subpath, sample, esmOnly }) => {
  const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as {
    exports: Record<string, Conditions | string>;
    files: string[];
  };

  it("loads with import() and, unless ESM only, require(), with the same exports", () => {
    const viaImport = exportNames(name, "import");
    expect(viaImport).toContain(sample);
    if (!esmOnly) expect(exportNames(name, "require")).toEqual(viaImport);
  });

  it("has an exports map with the source condition first and types first in each branch", () => {
    const main = manifest.exports[subpath] as Conditions;
    const branches = esmOnly ? (["import"] as const) : (["import", "require"] as const);
    expect(Object.keys(main)).toEqual(["@kontist-auth/source", ...branches]);
    for (const branch of branches) {
      const conditions = main[branch] as Record<string, string>;
      expect(Object.keys(conditions)[0]).toBe("types");
      for (const file of Object.values(conditions)) expect(existsSync(join(root, dir, file))).toBe(true);
    }
    expect(existsSync(join(root, dir, main["@kontist-auth/source"] as string))).toBe(true);
    expect(manifest.files).toContain("dist");
  });
});
