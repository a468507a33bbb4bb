import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.ts";

// `testing` (the conformance kit) is its own entry: it imports node:crypto and vitest, which the main
// entry must never pull in.
export default defineConfig(
  packageBuild({ entry: { index: "src/index.ts", testing: "src/testing/index.ts" }, external: ["vitest"] }),
);
