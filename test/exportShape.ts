import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** What a runtime export is, as an export snapshot records it. */
export type ExportKind =
  | "class"
  | "function"
  | "object"
  | "array"
  | "string"
  | "number"
  | "boolean"
  | "bigint"
  | "symbol"
  | "undefined";

/**
 * The runtime exports of a module, sorted by name, each with its kind (`class`, `function`, `object`, …):
 * what an entry point's export snapshot records, so that adding or removing an export, or turning a
 * class into a type-only export, is a change a reviewer sees in the snapshot.
 *
 * @example
 * expect(exportShape(await import("./index"))).toMatchInlineSnapshot();
 */
export function exportShape(module: object): Record<string, ExportKind> {
  const entries = Object.entries(module)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => [name, kindOf(value)] as const);
  return Object.fromEntries(entries);
}

function kindOf(value: unknown): ExportKind {
  if (typeof value === "function") {
    return /^class\b/.test(Function.prototype.toString.call(value)) ? "class" : "function";
  }
  if (Array.isArray(value)) return "array";
  if (value === null) return "object";
  return typeof value;
}

/**
 * The {@link exportShape} of every entry point a package's `package.json` lists in `exports` (its
 * TypeScript source, through the `@kontist-auth/source` condition), by subpath: `"."`, `"./testing"`, ….
 * A new entry point shows up in the snapshot as well as a new export.
 *
 * @throws {Error} when an entry point has no `@kontist-auth/source` condition.
 * @example
 * expect(await entryPointShapes(new URL("..", import.meta.url))).toMatchInlineSnapshot();
 */
export async function entryPointShapes(packageDir: URL): Promise<Record<string, Record<string, ExportKind>>> {
  const dir = fileURLToPath(packageDir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    exports: Record<string, string | Record<string, unknown>>;
  };
  const shapes: Record<string, Record<string, ExportKind>> = {};
  for (const [subpath, target] of Object.entries(manifest.exports).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (subpath === "./package.json") continue;
    const source = typeof target === "object" ? target["@kontist-auth/source"] : undefined;
    if (typeof source !== "string") throw new Error(`${subpath} of ${dir} has no @kontist-auth/source entry`);
    shapes[subpath] = exportShape(await import(/* @vite-ignore */ join(dir, source)));
  }
  return shapes;
}
