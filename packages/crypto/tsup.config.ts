import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.ts";

// `backend` holds what only signer authors need. `testing` (the conformance kit) is its own entry: it
// imports node:crypto and vitest, which the main entry must never pull in. `#ecdsa` stays an import, and
// both of its implementations are entries, so package.json's `imports` picks one where the package runs:
// node:crypto on Node, @noble/curves in browsers.
export default defineConfig(
  packageBuild({
    entry: {
      index: "src/index.ts",
      backend: "src/backend/index.ts",
      testing: "src/testing/index.ts",
      "ecdsa.node": "src/ecdsa/ecdsa.node.ts",
      "ecdsa.noble": "src/ecdsa/ecdsa.noble.ts",
    },
    external: ["vitest", "#ecdsa"],
  }),
);
