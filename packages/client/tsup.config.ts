import { defineConfig, type Options } from "tsup";

const shared: Options = {
  entry: ["src/index.ts"],
  sourcemap: true,
  target: "es2022",
};

export default defineConfig([
  { ...shared, format: ["esm"], dts: true, clean: true },
  // ky ships ESM only; `require(esm)` hands CJS its namespace, not its default export, so the CJS build
  // carries its own copy of ky instead of requiring it.
  { ...shared, format: ["cjs"], dts: true, noExternal: ["ky"] },
]);
