import { type RunningSandbox, startSandbox } from "@kontist-auth/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureSecretService,
  type SecretServiceSession,
} from "../../../packages/crypto-keychain/test/secretService";
import { bindAsUser } from "./bindAsUser";
import { cliHome, runCli } from "./cliProcess";

// On a desktop (here: a session bus with a real Secret Service, GNOME Keyring) `device bind` keeps the
// device key in the OS keychain by default.

let sandbox: RunningSandbox;
let home: Awaited<ReturnType<typeof cliHome>>;
let secretService: SecretServiceSession;
let env: Record<string, string>;

beforeAll(async () => {
  secretService = await ensureSecretService();
  sandbox = await startSandbox({ port: 0 });
  home = await cliHome(sandbox.url);
  env = { ...home.env, DBUS_SESSION_BUS_ADDRESS: secretService.address };
}, 30_000);

afterAll(async () => {
  await home?.remove();
  await sandbox?.close();
  await secretService?.stop();
});

describe("kontist-auth on a desktop", () => {
  it("binds with a key in the OS keychain by default, confirms with it, and deletes it with the device", async () => {
    const profile = `keychain-${process.pid}`;
    const args = ["--profile", profile];
    expect(
      (await runCli(["login", "--username", "demo@example.com", ...args], env, "demo-password\n")).code,
    ).toBe(0);
    const bound = await bindAsUser(sandbox, ["--json", ...args], env);
    expect(bound.code).toBe(0);
    const { deviceId, signer } = JSON.parse(bound.stdout) as { deviceId: string; signer: string };
    expect(signer).toBe("keychain");
    expect(bound.stderr).toContain(
      `a key in the OS keychain (service "kontist-auth", account "device-key/${profile}")`,
    );

    await runCli(["login", "--username", "demo@example.com", ...args], env, "demo-password\n");
    const confirmed = await runCli(["confirm", "--device", "--json", ...args], env);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ confirmed: true, confirmedBy: deviceId });

    expect((await runCli(["device", "remove", deviceId, ...args], env)).code).toBe(0);
    // The key is gone from the keychain: confirming cannot find the device any more.
    expect(await runCli(["confirm", "--device", ...args], env)).toMatchObject({ code: 3 });
  });
});
