import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startBusWithoutSecretService } from "../test/secretService";

// "No credential store": each case runs test/fixtures/keychainWithoutStore.ts in a child process with its
// own D-Bus environment (the binding's libdbus pins the first bus address a process uses).

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const fixture = fileURLToPath(new URL("../test/fixtures/keychainWithoutStore.ts", import.meta.url));

interface Rejection {
  isKontistAuthError: boolean;
  code: string;
  name: string;
  message: string;
  json: string;
  inspected: string;
}

/** Runs the fixture (TypeScript through tsx, workspace sources) with `env` changes; its JSON answer. */
function runFixture(env: Record<string, string | undefined>, scenario = "create") {
  const childEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  return new Promise<Record<string, Rejection>>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--conditions=@kontist-auth/source", fixture, scenario],
      { cwd: packageDir, env: childEnv, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`the fixture failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}"));
      },
    );
  });
}

function expectUnavailable(rejection: Rejection | undefined) {
  expect(rejection?.isKontistAuthError).toBe(true);
  expect(rejection?.code).toBe("KEYCHAIN_UNAVAILABLE");
  expect(rejection?.name).toBe("KeychainUnavailableError");
  expect(JSON.parse(rejection?.json ?? "{}")).toMatchObject({ code: "KEYCHAIN_UNAVAILABLE" });
}

describe.runIf(process.platform === "linux")("no credential store: KEYCHAIN_UNAVAILABLE", () => {
  it("DBUS_SESSION_BUS_ADDRESS points nowhere", async () => {
    const result = await runFixture({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/kontist-auth-bus" });
    expectUnavailable(result.create);
    expectUnavailable(result.delete);
    expect(result.create?.message).toContain("/nonexistent/kontist-auth-bus");
    expect(result.create?.message).toContain("gnome-keyring-daemon --unlock");
  });

  it("no D-Bus session at all (DBUS_SESSION_BUS_ADDRESS unset)", async () => {
    const result = await runFixture({ DBUS_SESSION_BUS_ADDRESS: undefined });
    expectUnavailable(result.create);
    expectUnavailable(result.delete);
  });

  it("a D-Bus session without a Secret Service on it", async () => {
    const bus = await startBusWithoutSecretService();
    try {
      const result = await runFixture({ DBUS_SESSION_BUS_ADDRESS: bus.address });
      expectUnavailable(result.create);
      expectUnavailable(result.delete);
    } finally {
      await bus.stop();
    }
  });

  it("the Secret Service goes away under a signer: sign and deleteKey reject", async () => {
    const result = await runFixture({ DBUS_SESSION_BUS_ADDRESS: undefined }, "vanishing");
    expectUnavailable(result.sign);
    expectUnavailable(result.deleteKey);
  });
});
