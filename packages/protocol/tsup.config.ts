import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.ts";

// `errors` is its own entry so packages that only need the error classes (crypto) do not pull zod into
// a bundle; `sandbox` holds what only the sandbox and tests against it need.
export default defineConfig(
  packageBuild({
    entry: { index: "src/index.ts", errors: "src/errors/index.ts", sandbox: "src/sandbox/index.ts" },
  }),
);
