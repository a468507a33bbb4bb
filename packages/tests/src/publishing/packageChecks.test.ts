import { describe, expect, it } from "vitest";
import { checkPackage, publishedPackages } from "../../../../scripts/checkPackages";

// Every published package as its users resolve it, checked by the tools a registry user would point at
// it: publint --strict and Are The Types Wrong (`attw --pack`, every entry point under node10, node16 from
// CJS and ESM, and bundler; the ESM-only /testing kits under its esm-only profile). The same checks run
// in `pnpm release` before anything is published. The root `pnpm test` builds the packages first.

const packages = publishedPackages();

describe("the published packages, packed", () => {
  it("are the nine packages, each with its entry points, only the /testing kits ESM only", () => {
    expect(
      Object.fromEntries(packages.map((pkg) => [pkg.name, [pkg.entryPoints, pkg.esmOnlyEntryPoints]])),
    ).toEqual({
      "@kontist-auth/cli": [[], []],
      "@kontist-auth/client": [[".", "./oauth"], []],
      "@kontist-auth/crypto": [[".", "./backend", "./testing"], ["./testing"]],
      "@kontist-auth/crypto-keychain": [["."], []],
      "@kontist-auth/crypto-pkcs11": [["."], []],
      "@kontist-auth/protocol": [[".", "./errors", "./sandbox"], []],
      "@kontist-auth/sandbox": [["."], []],
      "@kontist-auth/token-store": [[".", "./backend", "./file", "./testing"], ["./testing"]],
      "@kontist-auth/token-store-redis": [["."], []],
    });
  });

  for (const pkg of packages) {
    it(`${pkg.name} passes publint --strict and attw --pack`, async () => {
      const checks = await checkPackage(pkg);
      expect(checks.length).toBe(pkg.esmOnlyEntryPoints.length > 0 ? 3 : 2);
      for (const check of checks) expect(check.passed, `${check.command}\n${check.output}`).toBe(true);
      // attw found and checked types wherever the package has entry points (the CLI is a bin only); the
      // ESM-only kits resolve, types and JavaScript, from ESM under node16 and under bundler.
      for (const check of checks.filter(({ command }) => command.startsWith("attw"))) {
        if (check.command.includes("esm-only")) expect(check.output).toMatch(/│ OK \(ESM\)\s+│ OK\s+│/);
        else
          expect(check.output).toMatch(
            pkg.entryPoints.length > 0 ? /No problems found/ : /does not contain types/,
          );
      }
    }, 180_000);
  }
});
