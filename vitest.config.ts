import { defineConfig } from "vitest/config";

// One run covers every package and app; each has its own vitest.config.ts built from vitest.preset.ts.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
  },
});
