import { randomUUID } from "node:crypto";
import {
  createDeviceSignature,
  SignerError,
  toDeviceKeyHex,
  verifyDeviceSignature,
} from "@kontist-auth/crypto";
import { createPkcs11Signer, type Pkcs11Signer } from "@kontist-auth/crypto-pkcs11";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSoftHsmToken, type SoftHsmToken } from "../../crypto-pkcs11/test/softhsm";
import * as support from "../test/sandboxSupport";
import { type Sandbox, startSandbox } from "../test/sandboxSupport";

// A device key generated inside a real SoftHSM2 token binds a device and confirms tokens with the sandbox,
// through the client's bind/confirm, over loopback HTTP. No mocks, no skips. The SoftHSM2 helper comes by
// relative path from packages/crypto-pkcs11/test.

let sandbox: Sandbox;
let token: SoftHsmToken;
const signers: Pkcs11Signer[] = [];

beforeAll(async () => {
  token = await createSoftHsmToken();
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await Promise.all(signers.map((signer) => signer.close()));
  await sandbox?.close();
  await token?.remove();
});

async function pkcs11Signer(keyLabel: string, createIfMissing = true) {
  const signer = await createPkcs11Signer({
    module: token.module,
    tokenLabel: token.tokenLabel,
    pin: token.pin,
    keyLabel,
    createIfMissing,
  });
  signers.push(signer);
  return signer;
}

describe("PKCS#11 device binding, end to end", () => {
  it("binds a key generated in the token, confirms, and a later signer over the same key confirms again", async () => {
    const keyLabel = `kontist-device-${randomUUID()}`;
    const client = await support.loggedIn(sandbox);
    const signer = await pkcs11Signer(keyLabel);
    expect(signer.generated).toBe(true);

    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "SoftHSM2",
      ...support.asUser(sandbox),
    });
    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    expect(confirmed.confirmed).toBe(true);
    expect(confirmed.claims?.cnf).toEqual({ kid: deviceId });
    const refreshed = await client.auth.tokenManager.refresh();
    expect(refreshed.confirmed).toBe(true);

    // The app restarts: a new signer finds the key by its label, and a new session confirms with it.
    const publicKey = await signer.getPublicKey();
    await signer.close();
    const reopened = await pkcs11Signer(keyLabel, false);
    expect(reopened.generated).toBe(false);
    expect(toDeviceKeyHex(await reopened.getPublicKey())).toBe(toDeviceKeyHex(publicKey));

    const later = await support.loggedIn(sandbox);
    expect(later.auth.tokenManager.token?.confirmed).toBe(false);
    const again = await later.auth.device.confirm({ signer: reopened, deviceId });
    expect(again.confirmed).toBe(true);
    expect(again.claims?.cnf).toEqual({ kid: deviceId });
  });

  it("the challenge signature is the SDK's low-S DER over the token's r‖s", async () => {
    const client = await support.loggedIn(sandbox);
    const signer = await pkcs11Signer(`kontist-device-${randomUUID()}`);
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "SoftHSM2",
      ...support.asUser(sandbox),
    });
    const challenge = await client.auth.device.createDeviceChallenge(deviceId);
    const signature = await createDeviceSignature(signer, challenge.stringToSign);
    const key = toDeviceKeyHex(await signer.getPublicKey());
    expect(verifyDeviceSignature(key, challenge.stringToSign, signature)).toBe(true);
    const token = await client.auth.device.verifyDeviceChallenge(deviceId, challenge.id, { signature });
    expect(token.confirmed).toBe(true);
  });

  it("after deleteKey() the device can no longer confirm: a SignerError caused by PKCS11_KEY_NOT_FOUND", async () => {
    const client = await support.loggedIn(sandbox);
    const signer = await pkcs11Signer(`kontist-device-${randomUUID()}`);
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "SoftHSM2",
      ...support.asUser(sandbox),
    });
    await signer.deleteKey();

    const error = await client.auth.device.confirm({ signer, deviceId }).then(
      () => expect.unreachable("confirm must fail once the key is deleted"),
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(SignerError);
    expect(isKontistAuthError((error as Error).cause, "PKCS11_KEY_NOT_FOUND")).toBe(true);
    expect(client.auth.tokenManager.token?.confirmed).toBe(false);
  });
});
