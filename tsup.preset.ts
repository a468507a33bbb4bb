import type { Options } from "tsup";

/**
 * How every package is built: ESM + CJS + declarations into `dist/`, for ES2022. Several entries share
 * one copy of each class through splitting, in ESM and CJS alike (so `instanceof` holds across entries).
 * `overrides` adds to it (entries, externals).
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    splitting: true,
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    ...overrides,
  };
}
