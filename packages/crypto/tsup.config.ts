import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.ts";

// `backend` holds what only signer authors need. `testing` (the conformance kit) is its own entry: it
// imports node:crypto and vitest, which the main entry must never pull in.
export default defineConfig(
  packageBuild({
    entry: { index: "src/index.ts", backend: "src/backend/index.ts", testing: "src/testing/index.ts" },
    external: ["vitest"],
  }),
);
