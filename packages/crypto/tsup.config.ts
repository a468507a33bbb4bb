import { defineConfig } from "tsup";

export default defineConfig({
  // `testing` (the conformance kit) is its own entry: it imports node:crypto and vitest, which the main
  // entry must never pull in. Splitting keeps one copy of each class and function shared by both entries.
  entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
  format: ["esm", "cjs"],
  splitting: true,
  external: ["vitest"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
