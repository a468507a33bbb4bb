import { createPkcs11Signer } from "@kontist-auth/crypto-pkcs11";
import { type RunningSandbox, startSandbox } from "@kontist-auth/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSoftHsmToken, type SoftHsmToken } from "../../../packages/crypto-pkcs11/test/softhsm";
import { bindAsUser } from "./bindAsUser";
import { cliHome, runCli } from "./cliProcess";

// `device bind --signer pkcs11`: the device key is generated inside a real SoftHSM2 token and never
// leaves it; later commands find it by its label, with the PIN from KONTIST_PKCS11_PIN.

let sandbox: RunningSandbox;
let home: Awaited<ReturnType<typeof cliHome>>;
let token: SoftHsmToken;
let env: Record<string, string>;

beforeAll(async () => {
  token = await createSoftHsmToken({ tokenLabel: "kontist-cli" });
  sandbox = await startSandbox({ port: 0 });
  home = await cliHome(sandbox.url);
  env = {
    ...home.env,
    SOFTHSM2_CONF: process.env.SOFTHSM2_CONF ?? "",
    KONTIST_PKCS11_MODULE: token.module,
    KONTIST_PKCS11_TOKEN: token.tokenLabel,
    KONTIST_PKCS11_PIN: token.pin,
  };
});

afterAll(async () => {
  await home?.remove();
  await sandbox?.close();
  await token?.remove();
});

describe("kontist-auth with a PKCS#11 device key", () => {
  it("binds a key made inside the token, confirms with it later, and deletes it with the device", async () => {
    expect((await runCli(["login", "--username", "demo@example.com"], env, "demo-password\n")).code).toBe(0);
    const bound = await bindAsUser(sandbox, ["--signer", "pkcs11", "--json"], env);
    expect(bound.code).toBe(0);
    const { deviceId, signer } = JSON.parse(bound.stdout) as { deviceId: string; signer: string };
    expect(signer).toBe("pkcs11");
    expect(bound.stderr).toContain('inside PKCS#11 token "kontist-cli"');
    expect(bound.stdout + bound.stderr).not.toContain(token.pin);

    // The key is in the token, under the profile's label.
    const inToken = await createPkcs11Signer({
      module: token.module,
      tokenLabel: token.tokenLabel,
      pin: token.pin,
      keyLabel: "kontist-auth-default",
      createIfMissing: false,
    });
    await inToken.close();

    await runCli(["login", "--username", "demo@example.com"], env, "demo-password\n");
    const confirmed = await runCli(["confirm", "--device", "--json"], env);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ confirmed: true, confirmedBy: deviceId });

    const wrongPin = await runCli(["confirm", "--device"], { ...env, KONTIST_PKCS11_PIN: "0000" });
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toMatch(/^kontist-auth: PKCS11_LOGIN_FAILED: /);
    expect(wrongPin.stderr).not.toContain("0000");

    const removed = await runCli(["device", "remove", deviceId, "--json"], env);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: deviceId, keyDeleted: true });
    await expect(
      createPkcs11Signer({
        module: token.module,
        tokenLabel: token.tokenLabel,
        pin: token.pin,
        keyLabel: "kontist-auth-default",
        createIfMissing: false,
      }),
    ).rejects.toMatchObject({ code: "PKCS11_KEY_NOT_FOUND" });
  });
});
