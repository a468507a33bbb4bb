import { randomUUID } from "node:crypto";
import type { Client } from "@kontist-auth/client";
import { toDeviceKeyHex } from "@kontist-auth/crypto";
// The Secret Service helper comes by relative path from packages/crypto-keychain/test.
import { createKeychainSigner, deleteKeychainKey } from "@kontist-auth/crypto-keychain";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSecretService, type SecretServiceSession } from "../../crypto-keychain/test/secretService";
import * as support from "../test/sandboxSupport";
import { demoUser, type Sandbox, startSandbox } from "../test/sandboxSupport";

// A device bound with a key kept in the OS credential store (a real Secret Service: the one on the session
// bus, or a private D-Bus + GNOME Keyring started here), end to end against the sandbox over loopback.

let sandbox: Sandbox;
let secretService: SecretServiceSession;
const location = { service: `kontist-auth-test-${randomUUID()}`, account: demoUser.username };

beforeAll(async () => {
  // Before any keychain call in this process: the binding keeps the first D-Bus address it sees.
  secretService = await ensureSecretService();
  sandbox = await startSandbox({ port: 0 });
}, 60_000);

afterAll(async () => {
  await deleteKeychainKey(location).catch(() => undefined);
  await sandbox?.close();
  await secretService?.stop();
});

const loggedIn = (): Promise<Client> => support.loggedIn({ url: sandbox.url });

describe("device binding with a keychain signer, end to end", () => {
  let deviceId: string;

  it("binds a device with a key created in the keychain and gets a confirmed token", async () => {
    const client = await loggedIn();
    expect(client.auth.tokenManager.token?.confirmed).toBe(false);

    const signer = await createKeychainSigner(location);
    ({ deviceId } = await client.auth.device.bind({
      signer,
      name: "keychain e2e",
      ...support.asUser(sandbox),
    }));

    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    expect(confirmed.confirmed).toBe(true);
    expect(confirmed.claims?.cnf).toEqual({ kid: deviceId });
    expect(client.auth.tokenManager.token).toBe(confirmed);

    // The confirmed token opens what needs one.
    const { viewer } = await client.graphQL.rawQuery<{ viewer: { mainAccount: { iban: string } | null } }>(
      "{ viewer { mainAccount { iban } } }",
    );
    expect(viewer.mainAccount?.iban).toBeTruthy();
  });

  it("after a restart (a new signer loads the stored key) the same device confirms a new login", async () => {
    const signer = await createKeychainSigner({ ...location });
    const client = await loggedIn();
    expect((await client.auth.device.list()).map((device) => device.id)).toContain(deviceId);
    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    expect(confirmed.confirmed).toBe(true);
    expect(confirmed.claims?.cnf).toEqual({ kid: deviceId });
    expect(toDeviceKeyHex(await signer.getPublicKey())).toHaveLength(130);
  });

  it("once the key is deleted, confirming fails with a signer error caused by KEYCHAIN_KEY_DELETED", async () => {
    const signer = await createKeychainSigner(location);
    await signer.deleteKey();
    const client = await loggedIn();
    const error: unknown = await client.auth.device.confirm({ signer, deviceId }).then(
      () => expect.unreachable("confirm must fail without the key"),
      (reason: unknown) => reason,
    );
    expect(isKontistAuthError(error, "SIGNER_FAILED")).toBe(true);
    expect(isKontistAuthError((error as Error).cause, "KEYCHAIN_KEY_DELETED")).toBe(true);
    expect(client.auth.tokenManager.token?.confirmed).toBe(false);
  });
});
