import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build } from "esbuild";

// Imports in the bundled code resolve as from this package, which depends on every SDK package.
const resolveDir = dirname(fileURLToPath(import.meta.url));

/**
 * Bundles the module `code` for browsers the way an app's bundler would (ESM, browser platform, minified), resolving
 * workspace packages to their sources. esbuild fails on any Node built-in, so a successful bundle also
 * shows the packages it pulls in are browser-safe.
 */
export async function bundleForBrowser(code: string): Promise<string> {
  const result = await build({ ...browserBuildOptions(code), conditions: ["@kontist-auth/source"] });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error("esbuild produced no output");
  return file.text;
}

/**
 * esbuild's options for bundling the module `code` for browsers as an app's bundler would: ESM, browser
 * platform, ES2022, minified, tree-shaken, in memory; imports resolve as from this package.
 *
 * @example
 * const result = await build({ ...browserBuildOptions(`import { Client } from "@kontist-auth/client";`), splitting: true });
 */
export function browserBuildOptions(code: string) {
  return {
    stdin: { contents: code, resolveDir, loader: "ts", sourcefile: "entry.ts" },
    absWorkingDir: resolveDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent",
  } satisfies BuildOptions;
}
