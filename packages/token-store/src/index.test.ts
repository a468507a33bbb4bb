import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { entryPointShapes } from "../../../test/exportShape";

describe("@kontist-auth/token-store", () => {
  // An accidental export, or a removed one, changes the public API: update the snapshot on purpose only.
  it("exports exactly its public API, per entry point", async () => {
    expect(await entryPointShapes(new URL("..", import.meta.url))).toMatchInlineSnapshot(`
      {
        ".": {
          "TokenStoreError": "class",
          "defaultWebStoragePrefix": "string",
          "memoryStore": "function",
          "webStorageStore": "function",
        },
        "./backend": {
          "checkKey": "function",
          "checkedStoredToken": "function",
          "decodeStoredToken": "function",
          "defaultLockTimeoutMs": "number",
          "defaultLockTtlMs": "number",
          "encodeStoredToken": "function",
          "isStoredToken": "function",
          "isTokenStoreError": "function",
          "lockLostError": "function",
          "lockTimeoutError": "function",
          "normalizeStoredToken": "function",
          "resolveLockOptions": "function",
          "storedTokenFormat": "string",
          "storedTokenFormatVersion": "number",
        },
        "./file": {
          "fileStore": "function",
        },
        "./testing": {
          "describeTokenStoreContract": "function",
          "sampleStoredToken": "function",
        },
      }
    `);
  });

  // Browser bundles of memoryStore / webStorageStore (and browser stores built on `./backend`) must not
  // meet a Node built-in.
  it.each(["index.ts", "backend/index.ts"])("reaches no Node built-in from %s", (entryFile) => {
    const here = dirname(fileURLToPath(import.meta.url));
    const seen = new Set<string>();
    const imports: string[] = [];
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const source = readFileSync(path, "utf8");
      for (const [, specifier = ""] of source.matchAll(/^(?:import|export)\b[^;]*?from\s*"([^"]+)"/gm)) {
        if (!specifier.startsWith(".")) {
          imports.push(specifier);
          continue;
        }
        const target = resolve(dirname(path), specifier);
        visit(existsSync(`${target}.ts`) ? `${target}.ts` : resolve(target, "index.ts"));
      }
    };
    visit(resolve(here, entryFile));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].some((path) => path.includes("/file/"))).toBe(false);
    const builtins = new Set(builtinModules);
    expect(imports.filter((name) => name.startsWith("node:") || builtins.has(name))).toEqual([]);
    expect([...new Set(imports)].sort()).toEqual(["@kontist-auth/protocol/errors"]);
  });
});
