import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  installPackedPackages,
  type PackedProject,
  runCommand,
} from "../../../packages/tests/test/runtimes/packedProject";

// `npx kontist-auth` as a user gets it from npm: the CLI and every workspace package it needs, packed and
// installed with npm into a scratch folder outside the workspace (packages/tests' `installPackedPackages`,
// which also checks that every @kontist-auth package came from its tarball). The root `pnpm test` builds
// every package before vitest runs; this test packs those builds.

const commandNames = [
  "login",
  "device",
  "confirm",
  "token",
  "graphql",
  "subscribe",
  "logout",
  "sandbox",
  "demo",
];

describe("the packed CLI, installed with npm in a scratch folder", () => {
  let packed: PackedProject;
  let env: NodeJS.ProcessEnv = {};
  const run = (args: readonly string[]) =>
    runCommand("npx", args, { cwd: packed.project, env, timeoutMs: 60_000 });

  beforeAll(async () => {
    packed = await installPackedPackages(["@kontist-auth/cli"], "kontist-auth-packed-cli-");
    env = { ...packed.env, KONTIST_AUTH_CONFIG_DIR: join(packed.scratch, "config") };
  }, 300_000);

  afterAll(async () => {
    await packed?.remove();
  });

  it("installs the CLI and the packages it needs from their tarballs, with its bin", () => {
    expect(packed.packages).toContain("@kontist-auth/cli");
    expect(packed.packages).toContain("@kontist-auth/client");
    expect(existsSync(join(packed.project, "node_modules/.bin/kontist-auth"))).toBe(true);
  });

  it("prints its usage with every command for `npx kontist-auth --help`", async () => {
    // The bin link is checked first: without it, npx would fetch whatever `kontist-auth` the registry has.
    expect(existsSync(join(packed.project, "node_modules/.bin/kontist-auth"))).toBe(true);
    const help = await run(["kontist-auth", "--help"]);

    expect(help, help.stderr).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/^Usage: kontist-auth /);
    const listed = help.stdout.split("Commands:\n")[1] ?? "";
    for (const command of commandNames) expect(listed).toMatch(new RegExp(`^ {2}${command}\\b`, "m"));
  }, 60_000);

  it("runs the whole device-binding flow for `npx kontist-auth demo`", async () => {
    expect(existsSync(join(packed.project, "node_modules/.bin/kontist-auth"))).toBe(true);
    const demo = await run(["kontist-auth", "demo"]);

    expect(demo, demo.stderr).toMatchObject({ code: 0 });
    const lines = demo.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^1\. Sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.at(-1)).toMatch(
      /^✔ The refreshed access token is confirmed \(cnf\.kid = [0-9a-f-]{36}\)\.$/,
    );
  }, 60_000);
});
