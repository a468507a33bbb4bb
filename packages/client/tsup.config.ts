import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.ts";

export default defineConfig([
  packageBuild({ format: ["esm"] }),
  // ky ships ESM only; `require(esm)` hands CJS its namespace, not its default export, so the CJS build
  // carries its own copy of ky instead of requiring it.
  packageBuild({ format: ["cjs"], noExternal: ["ky"], clean: false }),
]);
