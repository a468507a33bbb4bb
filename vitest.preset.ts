import { defineProject, mergeConfig, type UserWorkspaceConfig } from "vitest/config";

/** Resolve workspace packages to their TypeScript sources, so tests never need a build. */
const sourceConditions = ["@kontist-auth/source", "import", "module", "node", "default"];

/** The vitest project every package and app uses; `overrides` adds to it. */
export function project(name: string, overrides: UserWorkspaceConfig = {}) {
  return mergeConfig(
    defineProject({
      resolve: { conditions: sourceConditions },
      ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@kontist-auth/source"] } },
      test: {
        name,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        testTimeout: 20_000,
        // graphql-js must be one module: the sandbox's schema is checked with `instanceof` inside
        // graphql-ws, which Node would otherwise load with another copy (index.js, not vite's index.mjs).
        server: { deps: { inline: ["graphql-ws"] } },
      },
    }),
    overrides,
  );
}
