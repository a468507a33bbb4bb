import { type Client, HttpError, isKontistAuthError } from "@kontist-auth/client";
import { createSoftwareSigner, toDeviceKeyHex } from "@kontist-auth/crypto";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as support from "../test/sandboxSupport";
import { demoUser, otherUser, type Sandbox, startSandbox } from "../test/sandboxSupport";

// Device binding requests (Kontist's API since December 2023), client against sandbox over loopback HTTP:
// the request, the user's confirmation by e-mail or from a bound device, the 3-minute window, and the
// bound-device list over GraphQL.

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

const loggedIn = (user = demoUser, at: support.SandboxAt = sandbox) => support.loggedIn(at, user);

/** Binds a fresh software key for `client` through the whole current flow; returns its signer and id. */
async function boundDevice(client: Client, name = "bound") {
  const signer = createSoftwareSigner();
  const { deviceId } = await client.auth.device.bind({ signer, name, ...support.asUser(sandbox) });
  return { signer, deviceId };
}

describe("device binding requests", () => {
  it("records the request, e-mails the user, and waits for the confirmation from the e-mail", async () => {
    const client = await loggedIn();
    const request = await client.auth.device.requestBinding({ name: "Kitchen tablet" });
    expect(request).toMatchObject({ deviceName: "Kitchen tablet", confirmedAt: null, rejectedAt: null });
    expect(request.ipAddress).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(request.address).not.toBe("");

    const email = (await sandbox.test.emails()).at(-1);
    expect(email).toMatchObject({ to: demoUser.username, deviceBindingRequestId: request.id });
    expect(email?.text).toContain("Kitchen tablet");
    expect(email?.link).toMatch(new RegExp(`^${sandbox.url}/`));

    const waiting = client.auth.device.waitForBindingConfirmation(request.id, { pollInterval: 50 });
    await sleep(120); // a few polls while it is pending
    await sandbox.test.confirmBindingRequest(request.id);
    const confirmed = await waiting;
    expect(confirmed.id).toBe(request.id);
    expect(Date.parse(confirmed.confirmedAt ?? "")).not.toBeNaN();
    expect(confirmed.rejectedAt ?? null).toBeNull();

    // One confirmed request allows one device.
    const key = toDeviceKeyHex(await createSoftwareSigner().getPublicKey());
    await client.auth.device.createDevice({ name: "Kitchen tablet", key });
    const second = await client.auth.device.createDevice({ name: "again", key }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(HttpError);
    expect(second).toMatchObject({ status: 403 });
    expect((second as Error).message).toMatch(/binding request/i);
  });

  it("rejects with DEVICE_BINDING_REJECTED when the user rejects it, and no device can be created", async () => {
    const client = await loggedIn();
    const request = await client.auth.device.requestBinding({ name: "not me" });
    const waiting = client.auth.device.waitForBindingConfirmation(request.id, { pollInterval: 50 });
    await sandbox.test.rejectBindingRequest(request.id);
    const error = await waiting.catch((e: unknown) => e);
    expect(isKontistAuthError(error, "DEVICE_BINDING_REJECTED")).toBe(true);

    const key = toDeviceKeyHex(await createSoftwareSigner().getPublicKey());
    await expect(client.auth.device.createDevice({ name: "not me", key })).rejects.toMatchObject({
      status: 403,
    });
  });

  it("bind() stops with DEVICE_BINDING_REJECTED and sends no createDevice", async () => {
    const client = await loggedIn();
    const before = (await sandbox.test.stats()).requests["POST /api/user/devices"] ?? 0;
    const error = await client.auth.device
      .bind({
        signer: createSoftwareSigner(),
        name: "rejected",
        pollInterval: 50,
        onBindingRequest: (request) => sandbox.test.rejectBindingRequest(request.id),
        otp: () => sandbox.test.latestOtp(),
      })
      .catch((e: unknown) => e);
    expect(isKontistAuthError(error, "DEVICE_BINDING_REJECTED")).toBe(true);
    expect((await sandbox.test.stats()).requests["POST /api/user/devices"] ?? 0).toBe(before);
  });

  it("times out, or is cancelled, while the user does not answer", async () => {
    const client = await loggedIn();
    const request = await client.auth.device.requestBinding({ name: "ignored" });
    const timedOut = await client.auth.device
      .waitForBindingConfirmation(request.id, { pollInterval: 50, timeout: 200 })
      .catch((e: unknown) => e);
    expect(isKontistAuthError(timedOut, "TIMEOUT")).toBe(true);

    const controller = new AbortController();
    const waiting = client.auth.device.waitForBindingConfirmation(request.id, {
      pollInterval: 50,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const cancelled = await waiting.catch((e: unknown) => e);
    expect(isKontistAuthError(cancelled, "DEVICE_BINDING_CANCELLED")).toBe(true);
  });

  it("an unknown or another user's request is not found", async () => {
    const owner = await loggedIn();
    const request = await owner.auth.device.requestBinding({ name: "mine" });
    const intruder = await loggedIn(otherUser);
    const error = await intruder.auth.device.getBindingRequest(request.id).catch((e: unknown) => e);
    expect(isKontistAuthError(error, "DEVICE_BINDING_REQUEST_NOT_FOUND")).toBe(true);
  });

  it("a bound device confirms another device's request (updateDeviceBindingRequest)", async () => {
    const phone = await loggedIn();
    const { signer, deviceId } = await boundDevice(phone, "phone");
    await phone.auth.device.confirm({ signer, deviceId });

    const laptop = await loggedIn();
    const laptopSigner = createSoftwareSigner();
    const { deviceId: laptopId } = await laptop.auth.device.bind({
      signer: laptopSigner,
      name: "laptop",
      pollInterval: 50,
      // The app on the phone shows the request; the user approves it there.
      onBindingRequest: (request) => phone.auth.device.answerBindingRequest(request.id, true),
      otp: () => sandbox.test.latestOtp(),
    });
    expect((await laptop.auth.device.list()).map((device) => device.id)).toContain(laptopId);
  });

  it("an unconfirmed token may not answer a binding request (GraphQL error, extensions.status 403)", async () => {
    const client = await loggedIn();
    const request = await client.auth.device.requestBinding({ name: "self-approval" });
    const error = await client.auth.device.answerBindingRequest(request.id, true).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "GRAPHQL_ERROR", status: 403 });
    expect((error as { type?: string }).type).toBe("http://www.iana.org/assignments/http-status-codes#403");
  });

  it("the window: a request confirmed longer ago than deviceBindingWindow allows no device", async () => {
    const shortWindow = await startSandbox({ port: 0, deviceBindingWindow: 0.3 });
    try {
      const client = await loggedIn(demoUser, shortWindow);
      await support.confirmedBindingRequest(shortWindow, client);
      await sleep(500);
      const key = toDeviceKeyHex(await createSoftwareSigner().getPublicKey());
      const error = await client.auth.device.createDevice({ name: "too late", key }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ status: 403 });
    } finally {
      await shortWindow.close();
    }
  });

  it("the older API: bindingRequest: false binds directly against a sandbox without binding requests", async () => {
    const older = await startSandbox({ port: 0, requireDeviceBindingRequest: false });
    try {
      const client = await loggedIn(demoUser, older);
      const signer = createSoftwareSigner();
      const { deviceId } = await client.auth.device.bind({
        signer,
        name: "older API",
        bindingRequest: false,
        otp: () => older.test.latestOtp(),
      });
      expect((await client.auth.device.confirm({ signer, deviceId })).confirmed).toBe(true);
      expect(await older.test.emails()).toEqual([]);
    } finally {
      await older.close();
    }
  });
});

describe("bound devices over GraphQL", () => {
  it("lists the user's verified devices and removes one; its refresh tokens stop working", async () => {
    const client = await loggedIn();
    const { signer, deviceId } = await boundDevice(client, "to remove");
    await client.auth.device.confirm({ signer, deviceId });
    expect(await client.auth.device.list()).toContainEqual({ id: deviceId, name: "to remove" });

    const other = await loggedIn(otherUser);
    expect((await other.auth.device.list()).map((device) => device.id)).not.toContain(deviceId);
    await expect(other.auth.device.remove(deviceId)).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 404,
    });

    await client.auth.device.remove(deviceId);
    expect((await client.auth.device.list()).map((device) => device.id)).not.toContain(deviceId);
    // The confirmed refresh token came from that device: it is revoked with it.
    await expect(client.auth.tokenManager.refresh()).rejects.toMatchObject({ code: "OAUTH2_ERROR" });
  });
});
