import { type Client, HttpError, OAuth2Error, type Token } from "@kontist-auth/client";
import {
  createDeviceSignature,
  createSoftwareSigner,
  type P256Signer,
  toDeviceKeyHex,
} from "@kontist-auth/crypto";
import { isKontistAuthError, sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as support from "../test/sandboxSupport";
import { demoUser, otherUser, type Sandbox, startSandbox } from "../test/sandboxSupport";

// The seed flow end to end: @kontist-auth/client against @kontist-auth/sandbox over real HTTP on loopback.

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

const newClient = (url = sandbox.url): Client => support.confidentialClientOf({ url });
const loggedIn = (user = demoUser, url = sandbox.url) => support.loggedIn({ url }, user);
const stats = () => sandbox.test.stats();

/** A device created for `client` whose OTP is waiting to be signed. */
async function pendingDevice(client: Client, signer: P256Signer) {
  await support.confirmedBindingRequest(sandbox, client);
  const key = toDeviceKeyHex(await signer.getPublicKey());
  const created = await client.auth.device.createDevice({ name: "e2e", key });
  return { ...created, otp: await sandbox.test.latestOtp() };
}

/** Awaits `promise`, expecting a typed SDK error of `code` carrying a 4xx `status`. */
async function expectClientError<E>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
  status: number,
) {
  const error: unknown = await promise.then(
    () => expect.unreachable("expected the call to fail"),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  expect(isKontistAuthError(error)).toBe(true);
  expect((error as { status?: number }).status).toBe(status);
  return error as E;
}

describe("device binding, end to end", () => {
  it("logs in, binds, confirms, and a refresh stays confirmed", async () => {
    const before = await stats();
    const client = newClient();

    const login = await client.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    expect(login.confirmed).toBe(false);
    expect(login.refreshToken).toBeDefined();
    expect(login.scopes).toEqual(["users", "offline"]);

    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "e2e phone",
      ...support.asUser(sandbox),
    });
    const sms = (await sandbox.test.sms()).at(-1);
    expect(sms?.to).toBe("+4915100000000");
    expect(sms?.otp).toMatch(/^\d{6}$/);
    expect(sms?.text).toContain(sms?.otp);

    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    expect(confirmed.confirmed).toBe(true);
    expect(confirmed.claims?.cnf).toEqual({ kid: deviceId });
    expect(confirmed.refreshToken).toBeDefined();
    expect(confirmed.refreshToken).not.toBe(login.refreshToken);
    expect(client.auth.tokenManager.token).toBe(confirmed);

    const refreshed: Token = await client.auth.tokenManager.refresh();
    expect(refreshed.confirmed).toBe(true);
    expect(refreshed.claims?.cnf).toEqual({ kid: deviceId });
    expect(refreshed.accessToken).not.toBe(confirmed.accessToken);
    expect(refreshed.refreshToken).toBe(confirmed.refreshToken);

    const after = await stats();
    expect((after.grants.password ?? 0) - (before.grants.password ?? 0)).toBe(1);
    expect((after.grants.refresh_token ?? 0) - (before.grants.refresh_token ?? 0)).toBe(1);
  });

  it("the flow works step by step with the low-level calls", async () => {
    const client = await loggedIn();
    const signer = createSoftwareSigner();
    const { deviceId, challengeId, otp } = await pendingDevice(client, signer);
    await client.auth.device.verifyDevice(deviceId, {
      challengeId,
      signature: await createDeviceSignature(signer, otp),
    });

    const challenge = await client.auth.device.createDeviceChallenge(deviceId);
    const signature = await createDeviceSignature(signer, challenge.stringToSign);
    const token = await client.auth.device.verifyDeviceChallenge(deviceId, challenge.id, { signature });
    expect(token.confirmed).toBe(true);
  });
});

describe("device binding failures: typed client errors from 4xx answers", () => {
  it("wrong password", async () => {
    const error = await expectClientError(
      newClient().auth.tokenManager.fetchTokenFromCredentials({ ...demoUser, password: "not-the-password" }),
      OAuth2Error,
      400,
    );
    expect(error.error).toBe("invalid_grant");
    expect(error.message).not.toContain("not-the-password");
  });

  it("malformed key: not a point on P-256", async () => {
    const client = await loggedIn();
    await support.confirmedBindingRequest(sandbox, client);
    const offCurve = `04${"11".repeat(64)}`;
    await expectClientError(
      client.auth.device.createDevice({ name: "bad key", key: offCurve }),
      HttpError,
      400,
    );
  });

  it("malformed key: a SubjectPublicKeyInfo instead of the bare point", async () => {
    const client = await loggedIn();
    await support.confirmedBindingRequest(sandbox, client);
    const point = toDeviceKeyHex(await createSoftwareSigner().getPublicKey());
    const spki = `3059301306072a8648ce3d020106082a8648ce3d030107034200${point}`;
    await expectClientError(client.auth.device.createDevice({ name: "bad key", key: spki }), HttpError, 400);
  });

  it("wrong OTP signature", async () => {
    const client = await loggedIn();
    const signer = createSoftwareSigner();
    const { deviceId, challengeId, otp } = await pendingDevice(client, signer);
    const wrongOtp = otp === "000000" ? "000001" : "000000";
    const signature = await createDeviceSignature(signer, wrongOtp);
    await expectClientError(
      client.auth.device.verifyDevice(deviceId, { challengeId, signature }),
      HttpError,
      400,
    );
  });

  it("the OTP signed by another key", async () => {
    const client = await loggedIn();
    const { deviceId, challengeId, otp } = await pendingDevice(client, createSoftwareSigner());
    const signature = await createDeviceSignature(createSoftwareSigner(), otp);
    await expectClientError(
      client.auth.device.verifyDevice(deviceId, { challengeId, signature }),
      HttpError,
      400,
    );
  });

  it("a replayed device challenge", async () => {
    const client = await loggedIn();
    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "replay",
      ...support.asUser(sandbox),
    });
    const challenge = await client.auth.device.createDeviceChallenge(deviceId);
    const signature = await createDeviceSignature(signer, challenge.stringToSign);
    await client.auth.device.verifyDeviceChallenge(deviceId, challenge.id, { signature });

    const error = await client.auth.device
      .verifyDeviceChallenge(deviceId, challenge.id, { signature })
      .catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  });

  it("an expired device challenge", async () => {
    const shortLived = await startSandbox({ port: 0, challengeTtl: 1 });
    try {
      const client = await loggedIn(demoUser, shortLived.url);
      const signer = createSoftwareSigner();
      const { deviceId } = await client.auth.device.bind({
        signer,
        name: "expiry",
        ...support.asUser(shortLived),
      });
      const challenge = await client.auth.device.createDeviceChallenge(deviceId);
      const signature = await createDeviceSignature(signer, challenge.stringToSign);
      await sleep(1_500);

      const error = await client.auth.device
        .verifyDeviceChallenge(deviceId, challenge.id, { signature })
        .catch((e) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error.status).toBeGreaterThanOrEqual(400);
      expect(error.status).toBeLessThan(500);
      expect(client.auth.tokenManager.token?.confirmed).toBe(false);
    } finally {
      await shortLived.close();
    }
  });

  it("another user's device", async () => {
    const owner = await loggedIn();
    const signer = createSoftwareSigner();
    const { deviceId } = await owner.auth.device.bind({ signer, name: "mine", ...support.asUser(sandbox) });

    const intruder = await loggedIn(otherUser);
    await expectClientError(intruder.auth.device.createDeviceChallenge(deviceId), HttpError, 404);

    // Nor can the intruder finish binding a device that is pending for the owner.
    const pending = await pendingDevice(owner, signer);
    const signature = await createDeviceSignature(signer, pending.otp);
    await expectClientError(
      intruder.auth.device.verifyDevice(pending.deviceId, { challengeId: pending.challengeId, signature }),
      HttpError,
      404,
    );
  });
});
