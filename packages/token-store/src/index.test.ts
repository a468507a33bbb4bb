import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as file from "./file/index";
import * as entry from "./index";
import * as testing from "./testing/index";

describe("@kontist-auth/token-store", () => {
  // An accidental export, or a removed one, changes the public API: update these lists on purpose only.
  it("exports exactly its public API, per entry point", () => {
    expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
      [
        "TokenStoreError",
        "checkKey",
        "checkedStoredToken",
        "defaultLockTimeoutMs",
        "defaultLockTtlMs",
        "defaultWebStoragePrefix",
        "isStoredToken",
        "isTokenStoreError",
        "lockLostError",
        "lockTimeoutError",
        "memoryStore",
        "normalizeStoredToken",
        "resolveLockOptions",
        "webStorageStore",
      ]
    `);
    expect(Object.keys(file).sort()).toEqual(["fileStore"]);
    expect(Object.keys(testing).sort()).toEqual(["describeTokenStoreContract", "sampleStoredToken"]);
  });

  // Browser bundles of memoryStore / webStorageStore must not meet a Node built-in.
  it("reaches no Node built-in from the main entry", () => {
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
    visit(resolve(here, "index.ts"));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].some((path) => path.includes("/file/"))).toBe(false);
    const builtins = new Set(builtinModules);
    expect(imports.filter((name) => name.startsWith("node:") || builtins.has(name))).toEqual([]);
    expect([...new Set(imports)].sort()).toEqual(["@kontist-auth/protocol/errors"]);
  });
});
