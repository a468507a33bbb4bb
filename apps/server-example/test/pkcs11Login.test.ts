import { randomUUID } from "node:crypto";
import { Client } from "@kontist-auth/client";
import { createPkcs11Signer } from "@kontist-auth/crypto-pkcs11";
import { sleep } from "@kontist-auth/protocol";
import { redisStore } from "@kontist-auth/token-store-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSoftHsmToken, type SoftHsmToken } from "../../../packages/crypto-pkcs11/test/softhsm";
import { ExampleProcess } from "./ExampleProcess";
import { type ExampleServices, startExampleServices } from "./exampleServices";

// The server's device key in a real SoftHSM2 token (created in a temp folder; without SoftHSM2 installed
// this fails, locally and in CI, and never skips). `src/login.ts` runs as the operator runs it: it asks
// for a device binding request, says to confirm it in the e-mail, waits until the user has, then asks for
// the SMS code at its prompt, binds the key generated inside the token, and confirms the login with it.
// Two instances then answer /account (banking data) and renew the confirmed token without the key.

/** Seconds; the instances must see the login's confirmed token expire and renew it. */
const accessTokenTtl = 20;

let services: ExampleServices;
let sandbox: ExampleServices["sandbox"];
let redis: ExampleServices["redis"];
let softHsm: SoftHsmToken;
const tokenStoreKey = `server-example-pkcs11-test:${randomUUID()}`;
const running: ExampleProcess[] = [];

beforeAll(async () => {
  // A PIN no output could contain by chance.
  softHsm = await createSoftHsmToken({ tokenLabel: "server-example", pin: `pin-${randomUUID()}` });
  services = await startExampleServices(tokenStoreKey, accessTokenTtl);
  ({ sandbox, redis } = services);
});
afterAll(async () => {
  await services?.stop(running);
  await softHsm?.remove();
});

function exampleEnv(): Record<string, string> {
  return services.env();
}

/** What only `kontist-login` gets: the password, and where the device key is. */
function loginEnv(keyLabel: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...exampleEnv(),
    KONTIST_USERNAME: "demo@example.com",
    KONTIST_PASSWORD: "demo-password",
    KONTIST_DEVICE_SIGNER: "pkcs11",
    KONTIST_DEVICE_NAME: "server-example test",
    SOFTHSM2_CONF: process.env.SOFTHSM2_CONF ?? "",
    PKCS11_MODULE: softHsm.module,
    PKCS11_TOKEN_LABEL: softHsm.tokenLabel,
    PKCS11_PIN: softHsm.pin,
    PKCS11_KEY_LABEL: keyLabel,
    ...extra,
  };
}

function start(script: string, env: Record<string, string>): ExampleProcess {
  const started = new ExampleProcess(script, env);
  running.push(started);
  return started;
}

async function getAccount(url: string) {
  const response = await fetch(`${url}/account`, { signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: await response.text() };
}

describe("server-example: the server's device key in a PKCS#11 token (SoftHSM2)", () => {
  it("binds it through a binding request, confirms the login, and the instances stay confirmed without it", async () => {
    const keyLabel = `server-example-${randomUUID()}`;
    const store = redisStore(redis);

    // The one-time login and binding, as an operator runs it.
    const login = start("src/login.ts", loginEnv(keyLabel));
    await login.waitFor(/confirm the new device "server-example test" there/, 20_000);
    const requestId = (await sandbox.test.emails()).find(
      (email) => email.deviceBindingRequestId,
    )?.deviceBindingRequestId;
    if (requestId === undefined) throw new Error("the sandbox sent no device binding e-mail");
    expect(await sandbox.test.sms()).toEqual([]); // nothing is registered before the user confirms
    await sleep(500);
    expect(login.output).not.toContain("SMS"); // ...and the script is still waiting
    await sandbox.test.confirmBindingRequest(requestId); // the user clicks the e-mail's link

    await login.waitFor(/The code Kontist sent you by SMS: /, 20_000);
    const otp = await sandbox.test.latestOtp();
    login.write(`${otp}\n`); // the operator reads the SMS and types the code
    expect(await login.exitCode(20_000), login.output).toBe(0);
    const [, deviceId] = await login.waitFor(
      /Bound device (\S+) with the key in the PKCS#11 token "server-example", key "[^"]+"\./,
      0,
    );
    expect(login.output).toContain(`Set KONTIST_DEVICE_ID=${deviceId} for later logins`);
    expect(login.output).toMatch(/with a refresh token, confirmed: true\./);
    const confirmedLogin = await store.get(tokenStoreKey);

    // The device's key is the one inside the token: a signer over that label (the key is found, not made)
    // confirms a fresh session of the user with the device.
    const hsmSigner = await createPkcs11Signer({
      module: softHsm.module,
      tokenLabel: softHsm.tokenLabel,
      pin: softHsm.pin,
      keyLabel,
      createIfMissing: false,
    });
    try {
      expect(hsmSigner.generated).toBe(false);
      const client = new Client({
        baseUrl: sandbox.url,
        clientId: "demo-client",
        clientSecret: "demo-secret",
        scopes: ["users", "offline"],
      });
      await client.auth.tokenManager.fetchTokenFromCredentials({
        username: "demo@example.com",
        password: "demo-password",
      });
      const confirmed = await client.auth.device.confirm({ signer: hsmSigner, deviceId: deviceId ?? "" });
      expect(confirmed.claims?.cnf).toEqual({ kid: deviceId });
    } finally {
      await hsmSigner.close();
    }

    // Two instances, which know nothing of the key, answer with banking data...
    const fleet = [start("src/main.ts", exampleEnv()), start("src/main.ts", exampleEnv())];
    const urls = await Promise.all(fleet.map((instance) => instance.url(20_000)));
    for (const url of urls) {
      const account = await getAccount(url);
      expect(account.status, account.body).toBe(200);
      expect(JSON.parse(account.body)).toMatchObject({ iban: expect.any(String) });
    }
    // ...and once the confirmed token has expired, renew it once between them, still confirmed.
    const expiresAt = confirmedLogin?.expiresAt ?? Date.now() + accessTokenTtl * 1000;
    await sleep(Math.max(0, expiresAt - Date.now()) + 200);
    const refreshesBefore = await sandbox.test.grantCount("refresh_token");
    const renewedAccounts = await Promise.all(urls.flatMap((url) => [getAccount(url), getAccount(url)]));
    expect(renewedAccounts.map((account) => account.status)).toEqual([200, 200, 200, 200]);
    expect((await sandbox.test.grantCount("refresh_token")) - refreshesBefore).toBe(1);
    const renewed = await store.get(tokenStoreKey);
    expect(renewed?.expiresAt).toBeGreaterThan(expiresAt);

    // A later login (the refresh token ran out, say) confirms with the bound device: no binding request,
    // no SMS, no prompt.
    const emails = (await sandbox.test.emails()).length;
    const sms = (await sandbox.test.sms()).length;
    const relogin = start("src/login.ts", loginEnv(keyLabel, { KONTIST_DEVICE_ID: deviceId ?? "" }));
    expect(await relogin.exitCode(20_000), relogin.output).toBe(0);
    expect(relogin.output).toMatch(/with a refresh token, confirmed: true\./);
    expect(relogin.output).not.toContain("Bound device");
    expect((await sandbox.test.emails()).length).toBe(emails);
    expect((await sandbox.test.sms()).length).toBe(sms);

    // No output holds a token, the PIN or the SMS code.
    const outputs = running.map((process) => process.output).join("\n");
    const secrets = [confirmedLogin, renewed, await store.get(tokenStoreKey)].flatMap((token) => [
      token?.accessToken,
      token?.refreshToken,
    ]);
    for (const secret of [...secrets, softHsm.pin].filter((value): value is string => Boolean(value))) {
      expect(outputs).not.toContain(secret);
    }
    expect(outputs).not.toMatch(new RegExp(`\\b${otp}\\b`));

    for (const instance of fleet) instance.signal("SIGTERM");
    expect(await Promise.all(fleet.map((instance) => instance.exitCode(10_000)))).toEqual([0, 0]);
  }, 120_000);

  it("a wrong PIN stops the login before Kontist is asked anything, and is not printed", async () => {
    const passwordGrants = await sandbox.test.grantCount("password");
    const wrongPin = `wrong-${randomUUID()}`;
    const login = start("src/login.ts", loginEnv(`server-example-${randomUUID()}`, { PKCS11_PIN: wrongPin }));
    expect(await login.exitCode(20_000), login.output).toBe(1);
    expect(login.output).toContain("Login failed (PKCS11_LOGIN_FAILED)");
    expect(login.output).not.toContain(wrongPin);
    expect(await sandbox.test.grantCount("password")).toBe(passwordGrants);
  });
});
