import { defineConfig } from "tsup";

export default defineConfig({
  // `errors` is its own entry so packages that only need the error classes (crypto) do not pull zod into
  // a bundle; splitting keeps one copy of each class shared by both entries, in ESM and CJS alike.
  entry: { index: "src/index.ts", errors: "src/errors/index.ts" },
  format: ["esm", "cjs"],
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});
