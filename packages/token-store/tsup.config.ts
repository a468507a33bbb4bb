import { defineConfig } from "tsup";

export default defineConfig({
  // `file` (Node only: node:fs, node:crypto) and `testing` (imports vitest) are entries of their own, so
  // the main entry never pulls them into a browser bundle. Splitting keeps one copy of each class (so
  // `TokenStoreError` is the same class in every entry), in ESM and CJS alike.
  entry: { index: "src/index.ts", file: "src/file/index.ts", testing: "src/testing/index.ts" },
  format: ["esm", "cjs"],
  splitting: true,
  external: ["vitest"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
