import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.ts";

// `file` (Node only: node:fs, node:crypto) and `testing` (imports vitest) are entries of their own, so
// the main entry never pulls them into a browser bundle; `backend` (for store authors) keeps the store
// building blocks out of the main entry.
export default defineConfig(
  packageBuild({
    entry: {
      index: "src/index.ts",
      backend: "src/backend/index.ts",
      file: "src/file/index.ts",
      testing: "src/testing/index.ts",
    },
    external: ["vitest"],
  }),
);
