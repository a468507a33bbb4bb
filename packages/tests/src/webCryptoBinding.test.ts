import {
  createDeviceSignature,
  createWebCryptoSigner,
  toDeviceKeyHex,
  verifyDeviceSignature,
} from "@kontist-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUser, loggedIn, type Sandbox, startSandbox } from "../test/sandboxSupport";

// Issue 4, item 5 for the WebCrypto backend: a signer over Node's WebCrypto (a non-extractable key) binds a
// device with the sandbox and turns the login into a confirmed token, through client.auth.device.

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox?.close();
});

describe("device binding with a WebCrypto signer (Node's WebCrypto)", () => {
  it("binds, confirms, and a refresh stays confirmed", async () => {
    const client = await loggedIn(sandbox);
    expect(client.auth.tokenManager.token?.confirmed).toBe(false);
    const signer = await createWebCryptoSigner();
    expect(signer.keyPair.privateKey.extractable).toBe(false);

    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "WebCrypto",
      ...asUser(sandbox),
    });
    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    expect(confirmed.confirmed).toBe(true);
    expect(confirmed.claims?.cnf).toEqual({ kid: deviceId });
    expect(client.auth.tokenManager.token).toBe(confirmed);

    const refreshesBefore = await sandbox.test.grantCount("refresh_token");
    const refreshed = await client.auth.tokenManager.refresh();
    expect(refreshed.confirmed).toBe(true);
    expect(refreshed.claims?.cnf).toEqual({ kid: deviceId });
    expect((await sandbox.test.grantCount("refresh_token")) - refreshesBefore).toBe(1);
  });

  it("a signer rebuilt from the kept key pair confirms a new login with the same device", async () => {
    const first = await createWebCryptoSigner();
    const bindingClient = await loggedIn(sandbox);
    const { deviceId } = await bindingClient.auth.device.bind({
      signer: first,
      name: "WebCrypto, kept",
      ...asUser(sandbox),
    });

    // Later (another process, after a restart): only the key pair was kept.
    const restored = await createWebCryptoSigner({ keyPair: first.keyPair });
    expect(toDeviceKeyHex(await restored.getPublicKey())).toBe(toDeviceKeyHex(await first.getPublicKey()));
    const client = await loggedIn(sandbox);
    const token = await client.auth.device.confirm({ signer: restored, deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.claims?.cnf).toEqual({ kid: deviceId });
  });

  it("the step-by-step calls accept WebCrypto signatures, and a signature for one challenge fails another", async () => {
    const client = await loggedIn(sandbox);
    const signer = await createWebCryptoSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "steps",
      ...asUser(sandbox),
    });

    const [one, two] = [
      await client.auth.device.createDeviceChallenge(deviceId),
      await client.auth.device.createDeviceChallenge(deviceId),
    ];
    const signatureOne = await createDeviceSignature(signer, one.stringToSign);
    expect(verifyDeviceSignature(key, one.stringToSign, signatureOne)).toBe(true);

    const wrong = await client.auth.device
      .verifyDeviceChallenge(deviceId, two.id, { signature: signatureOne })
      .catch((error: unknown) => error);
    expect((wrong as { status?: number }).status).toBe(400);

    const token = await client.auth.device.verifyDeviceChallenge(deviceId, one.id, {
      signature: signatureOne,
    });
    expect(token.confirmed).toBe(true);
  });
});
