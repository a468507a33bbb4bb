import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// What each public module pulls in, read from the import statements of the sources (the bundle itself is
// checked in packages/tests, with esbuild). Keeps the kit out of the main entry and @noble out of WebCrypto.

const src = dirname(fileURLToPath(import.meta.url));

/** Where package.json's `imports` sends `#ecdsa` in source mode, on Node and on every other platform. */
const ecdsaImplementation = { node: "ecdsa/ecdsa.node.ts", browser: "ecdsa/ecdsa.noble.ts" } as const;

/**
 * Every module reachable from `entry`: relative ones as paths under src/, bare ones as specifiers, and
 * `#ecdsa` as the specifier plus the implementation `platform` resolves it to.
 */
function moduleGraph(entry: string, platform: keyof typeof ecdsaImplementation = "browser"): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    const key = file.slice(src.length + 1);
    if (seen.has(key)) return;
    seen.add(key);
    const code = readFileSync(file, "utf8");
    for (const [, specifier] of code.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)";/gms)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith(".")) {
        const base = resolve(dirname(file), specifier);
        visit(base.endsWith(".ts") ? base : tryFiles(base));
      } else {
        seen.add(specifier);
        if (specifier === "#ecdsa") visit(join(src, ecdsaImplementation[platform]));
      }
    }
  };
  visit(join(src, entry));
  return seen;
}

function tryFiles(base: string): string {
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {}
  }
  throw new Error(`cannot resolve ${base}`);
}

describe("entry points", () => {
  it("the main entry never imports the conformance kit, vitest or a Node built-in", () => {
    const graph = [...moduleGraph("index.ts")];
    expect(graph.length).toBeGreaterThan(20);
    expect(graph.filter((m) => m.startsWith("testing/") || m === "vitest" || m.startsWith("node:"))).toEqual(
      [],
    );
  });

  it("the backend entry never imports the conformance kit, vitest or a Node built-in", () => {
    const graph = [...moduleGraph("backend/index.ts")];
    expect(graph.filter((m) => m.startsWith("testing/") || m === "vitest" || m.startsWith("node:"))).toEqual(
      [],
    );
  });

  it.each([
    "signer/createWebCryptoSigner.ts",
    "storage/saveKeyPair.ts",
    "storage/loadKeyPair.ts",
    "storage/deleteKeyPair.ts",
    "signature/createDeviceSignature.ts",
    "encoding/toDeviceKeyHex.ts",
  ])("%s does not import @noble", (entry) => {
    const graph = [...moduleGraph(entry)];
    expect(graph).toContain(entry);
    expect(graph.filter((m) => m.startsWith("@noble"))).toEqual([]);
  });

  it("the software signer does import @noble in browsers (the check above can see it)", () => {
    expect(moduleGraph("signer/createSoftwareSigner.ts")).toContain("@noble/curves/nist.js");
  });

  it.each(["index.ts", "backend/index.ts"])("%s on Node imports node:crypto and never @noble", (entry) => {
    const graph = [...moduleGraph(entry, "node")];
    expect(graph).toContain("node:crypto");
    expect(graph.filter((m) => m.startsWith("@noble"))).toEqual([]);
  });

  it("package.json's imports map `#ecdsa` to those sources, and to both built variants", () => {
    const manifest = JSON.parse(readFileSync(join(src, "../package.json"), "utf8")) as {
      imports: Record<string, unknown>;
    };
    expect(manifest.imports["#ecdsa"]).toEqual({
      "@kontist-auth/source": {
        node: `./src/${ecdsaImplementation.node}`,
        default: `./src/${ecdsaImplementation.browser}`,
      },
      node: { import: "./dist/ecdsa.node.js", require: "./dist/ecdsa.node.cjs" },
      import: "./dist/ecdsa.noble.js",
      require: "./dist/ecdsa.noble.cjs",
    });
  });
});
