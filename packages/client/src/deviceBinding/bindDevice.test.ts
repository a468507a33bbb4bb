import {
  createDeviceSignature,
  createSoftwareSigner,
  type P256Signer,
  toDeviceKeyHex,
  verifyDeviceSignature,
} from "@kontist-auth/crypto";
import {
  type DeviceBindingRequest,
  isKontistAuthError,
  ResponseValidationError,
} from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeKontist, type FakeKontistOptions, startFakeKontist } from "../../test/fakeKontist";
import {
  type LoopbackServer,
  type RecordedRequest,
  sendJson,
  sleep,
  startLoopbackServer,
} from "../../test/loopbackServer";
import { Client } from "../Client";
import { DeviceBindingCancelledError } from "../errors/DeviceBindingCancelledError";
import { DeviceBindingRejectedError } from "../errors/DeviceBindingRejectedError";
import { HttpError } from "../errors/HttpError";
import { NoTokenError } from "../errors/NoTokenError";
import { TimeoutError } from "../errors/TimeoutError";
import { UnauthorizedError } from "../errors/UnauthorizedError";

let server: FakeKontist | LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The OTP the fake "sent by SMS" last. */
const lastOtp = (fake: FakeKontist) => fake.sms.at(-1) ?? "";

async function loggedIn(options?: FakeKontistOptions) {
  const fake = await startFakeKontist(options);
  server = fake;
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s" });
  client.auth.tokenManager.setToken(fake.accessToken, "rt-unconfirmed");
  return { fake, client };
}

/** `METHOD /path`, with the operation's name for GraphQL requests. */
function describeRequest(request: RecordedRequest): string {
  if (request.url !== "/api/graphql") return `${request.method} ${request.url}`;
  const { query } = JSON.parse(request.body) as { query: string };
  return `graphql ${/^(?:query|mutation) (\w+)/.exec(query)?.[1]}`;
}

/** What a user does with the e-mail: clicks the link a moment later. */
const confirmSoon = (fake: FakeKontist) => (request: DeviceBindingRequest) => {
  setTimeout(() => fake.confirmBindingRequest(request.id), 30);
};

describe("DeviceAuth step by step", () => {
  it("asks for a binding request, then creates, verifies and confirms a device with the API's wire encodings", async () => {
    const { fake, client } = await loggedIn();
    const signer = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());

    // Today's API refuses a device without a confirmed binding request.
    await expect(client.auth.device.createDevice({ name: "My laptop", key })).rejects.toMatchObject({
      code: "HTTP_ERROR",
      status: 403,
    });
    const request = await client.auth.device.requestBinding({ name: "My laptop" });
    fake.confirmBindingRequest(request.id);

    const { deviceId, challengeId } = await client.auth.device.createDevice({ name: "My laptop", key });
    const create = fake.requests.filter((r) => r.url === "/api/user/devices").at(-1);
    expect(create).toMatchObject({ method: "POST" });
    expect(JSON.parse(create?.body ?? "")).toEqual({ name: "My laptop", key });
    expect(create?.headers["content-type"]).toBe("application/json");

    const signature = await createDeviceSignature(signer, fake.sms[0] ?? "");
    await expect(
      client.auth.device.verifyDevice(deviceId, { challengeId, signature }),
    ).resolves.toBeUndefined();
    expect(fake.requests.at(-1)?.url).toBe(`/api/user/devices/${deviceId}/verify`);

    const challenge = await client.auth.device.createDeviceChallenge(deviceId);
    expect(challenge).toEqual({ id: expect.any(String), stringToSign: expect.any(String) });
    const challengeSignature = await createDeviceSignature(signer, challenge.stringToSign);
    expect(verifyDeviceSignature(key, challenge.stringToSign, challengeSignature)).toBe(true);

    const token = await client.auth.device.verifyDeviceChallenge(deviceId, challenge.id, {
      signature: challengeSignature,
    });
    expect(token).toMatchObject({
      accessToken: fake.confirmedAccessToken,
      refreshToken: "rt-confirmed",
      confirmed: true,
    });
    expect(client.auth.tokenManager.token).toBe(token);
    for (const sent of fake.requests) expect(sent.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it("keeps the current refresh token when the confirmed token comes without one", async () => {
    const { fake, client } = await loggedIn({ confirmedRefreshToken: false, requireBindingRequest: false });
    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "d",
      otp: async () => lastOtp(fake),
      bindingRequest: false,
    });
    const token = await client.auth.device.confirm({ signer, deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.refreshToken).toBe("rt-unconfirmed");
  });

  it("throws UnauthorizedError for a token the API does not accept", async () => {
    const { client } = await loggedIn();
    client.auth.tokenManager.setToken("revoked");
    const error = await client.auth.device.createDeviceChallenge("d").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
  });

  it("throws NoTokenError and sends nothing without a token, GraphQL calls included", async () => {
    const fake = await startFakeKontist();
    server = fake;
    const client = new Client({ baseUrl: fake.url, clientId: "c" });
    const signer = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());
    const { device } = client.auth;
    const calls = [
      device.requestBinding({ name: "d" }),
      device.getBindingRequest("r"),
      device.waitForBindingConfirmation("r"),
      device.answerBindingRequest("r", true),
      device.createDevice({ name: "d", key }),
      device.verifyDevice("d", { challengeId: "c", signature: "3006020101020101" }),
      device.createDeviceChallenge("d"),
      device.verifyDeviceChallenge("d", "c", { signature: "3006020101020101" }),
      device.bind({ signer, name: "d", otp: async () => "123456" }),
      device.bind({ signer, name: "d", otp: async () => "123456", bindingRequest: false }),
      device.confirm({ signer, deviceId: "d" }),
      device.list(),
      device.remove("d"),
    ];
    for (const call of calls) {
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoTokenError);
      expect(isKontistAuthError(error, "NO_TOKEN")).toBe(true);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("percent-encodes ids in paths", async () => {
    server = await startLoopbackServer((_, response) =>
      sendJson(response, 201, { id: "x", stringToSign: "y" }),
    );
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at");
    await client.auth.device.createDeviceChallenge("a/b?c");
    expect(server.requests[0]?.url).toBe("/api/user/devices/a%2Fb%3Fc/challenges");
  });

  it("throws ResponseValidationError naming the missing field of a confirmed token", async () => {
    server = await startLoopbackServer((_, response) => sendJson(response, 200, { refresh_token: "rt" }));
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    const before = client.auth.tokenManager.setToken("at", "rt-0");
    const error = await client.auth.device
      .verifyDeviceChallenge("d", "c", { signature: "3006020101020101" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ field: "token" });
    expect(client.auth.tokenManager.token).toBe(before);
  });
});

describe("DeviceAuth.bind", () => {
  it("runs the whole flow: binding request, the app's message, confirmation, device, OTP, verification", async () => {
    const { fake, client } = await loggedIn();
    const signer = createSoftwareSigner();
    const events: string[] = [];
    let told: DeviceBindingRequest | undefined;
    fake.onPoll = (id, poll) => {
      events.push(`poll ${poll}`);
      if (poll === 2) fake.confirmBindingRequest(id);
    };
    const result = await client.auth.device.bind({
      signer,
      name: "My laptop",
      pollInterval: 20,
      onBindingRequest: async (request) => {
        told = request;
        events.push(`told the user after ${fake.requests.length} request(s)`);
        await sleep(10);
      },
      otp: async () => {
        events.push(`otp after ${fake.requests.length} request(s)`);
        return lastOtp(fake);
      },
    });
    expect(events).toEqual([
      "told the user after 1 request(s)",
      "poll 1",
      "poll 2",
      "otp after 4 request(s)",
    ]);
    expect(told).toMatchObject({ deviceName: "My laptop", ipAddress: "127.0.0.1", confirmedAt: null });
    expect(result).toEqual({
      deviceId: expect.any(String),
      bindingRequest: expect.objectContaining({ id: told?.id, confirmedAt: expect.any(String) }),
    });
    expect(fake.requests.map(describeRequest)).toEqual([
      "graphql createDeviceBindingRequest",
      "graphql getDeviceBindingRequest",
      "graphql getDeviceBindingRequest",
      "POST /api/user/devices",
      `POST /api/user/devices/${result.deviceId}/verify`,
    ]);
    expect(JSON.parse(fake.requests[0]?.body ?? "").variables).toEqual({ deviceName: "My laptop" });
    expect(fake.boundDevices()).toEqual([{ id: result.deviceId, name: "My laptop" }]);

    const token = await client.auth.device.confirm({ signer, deviceId: result.deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.refreshToken).toBe("rt-confirmed");
    expect(client.auth.tokenManager.token).toBe(token);
    expect(fake.requests.map(describeRequest).slice(5)).toEqual([
      `POST /api/user/devices/${result.deviceId}/challenges`,
      expect.stringMatching(
        new RegExp(`^POST /api/user/devices/${result.deviceId}/challenges/[^/]+/verify$`),
      ),
    ]);
  });

  it("passes deviceId on to createDeviceBindingRequest", async () => {
    const { fake, client } = await loggedIn();
    await client.auth.device.bind({
      signer: createSoftwareSigner(),
      name: "d",
      deviceId: "previous-device",
      pollInterval: 20,
      onBindingRequest: confirmSoon(fake),
      otp: async () => lastOtp(fake),
    });
    expect(JSON.parse(fake.requests[0]?.body ?? "").variables).toEqual({
      deviceName: "d",
      deviceId: "previous-device",
    });
  });

  it("skips the binding request with bindingRequest: false, for the older API (which today's refuses)", async () => {
    const older = await loggedIn({ requireBindingRequest: false });
    const signer = createSoftwareSigner();
    let told = false;
    const result = await older.client.auth.device.bind({
      signer,
      name: "d",
      bindingRequest: false,
      onBindingRequest: () => {
        told = true;
      },
      otp: async () => lastOtp(older.fake),
    });
    expect(result).toEqual({ deviceId: expect.any(String) });
    expect(told).toBe(false);
    expect(older.fake.requests.map(describeRequest)).toEqual([
      "POST /api/user/devices",
      `POST /api/user/devices/${result.deviceId}/verify`,
    ]);
    await older.fake.close();

    const today = await loggedIn();
    const error = await today.client.auth.device
      .bind({ signer, name: "d", bindingRequest: false, otp: async () => lastOtp(today.fake) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 403, serverMessage: "No confirmed device binding request" });
  });

  it("stops with the error of onBindingRequest, whether it rejects or throws, before waiting", async () => {
    const { fake, client } = await loggedIn();
    const signer = createSoftwareSigner();
    const failure = new Error("could not show the message");
    for (const onBindingRequest of [
      () => Promise.reject(failure),
      () => {
        throw failure;
      },
    ]) {
      const error = await client.auth.device
        .bind({ signer, name: "d", onBindingRequest, otp: async () => lastOtp(fake) })
        .catch((e: unknown) => e);
      expect(error).toBe(failure);
    }
    expect(fake.requests.map(describeRequest)).toEqual([
      "graphql createDeviceBindingRequest",
      "graphql createDeviceBindingRequest",
    ]);
  });

  it("stops when the user rejects the request, and registers no device", async () => {
    const { fake, client } = await loggedIn();
    let otpAsked = false;
    const error = await client.auth.device
      .bind({
        signer: createSoftwareSigner(),
        name: "d",
        pollInterval: 20,
        onBindingRequest: (request) => fake.rejectBindingRequest(request.id),
        otp: async () => {
          otpAsked = true;
          return "1";
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceBindingRejectedError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_REJECTED" });
    expect(otpAsked).toBe(false);
    expect(fake.requests.some((request) => request.url.startsWith("/api/user/devices"))).toBe(false);
  });

  it("gives up after confirmationTimeout with a TimeoutError", async () => {
    const { fake, client } = await loggedIn();
    const started = Date.now();
    const error = await client.auth.device
      .bind({
        signer: createSoftwareSigner(),
        name: "d",
        pollInterval: 20,
        confirmationTimeout: 150,
        otp: async () => lastOtp(fake),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", timeout: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.polls()).toBeGreaterThanOrEqual(2);
  });

  it("is cancelled by its signal while waiting for the confirmation, or while asking for the OTP", async () => {
    const { fake, client } = await loggedIn();
    const signer = createSoftwareSigner();
    const waiting = new AbortController();
    const reason = new Error("user closed the dialog");
    const whileWaiting = await client.auth.device
      .bind({
        signer,
        name: "d",
        pollInterval: 20,
        signal: waiting.signal,
        onBindingRequest: () => {
          setTimeout(() => waiting.abort(reason), 50);
        },
        otp: async () => lastOtp(fake),
      })
      .catch((e: unknown) => e);
    expect(whileWaiting).toBeInstanceOf(DeviceBindingCancelledError);
    expect(whileWaiting).toMatchObject({ code: "DEVICE_BINDING_CANCELLED", cause: reason });
    const polls = fake.polls();
    await sleep(60);
    expect(fake.polls()).toBe(polls);

    const asking = new AbortController();
    const whileAsking = await client.auth.device
      .bind({
        signer,
        name: "d",
        pollInterval: 20,
        signal: asking.signal,
        onBindingRequest: confirmSoon(fake),
        otp: () => {
          setTimeout(() => asking.abort(reason), 20);
          return new Promise<string>(() => {}); // the user never answers
        },
      })
      .catch((e: unknown) => e);
    expect(whileAsking).toBeInstanceOf(DeviceBindingCancelledError);
    expect((whileAsking as Error).cause).toBe(reason);
    expect(fake.requests.some((request) => request.url.endsWith("/verify"))).toBe(false);

    const before = fake.requests.length;
    await expect(
      client.auth.device.bind({ signer, name: "d", signal: AbortSignal.abort(), otp: async () => "1" }),
    ).rejects.toBeInstanceOf(DeviceBindingCancelledError);
    expect(fake.requests).toHaveLength(before);
  });

  it("passes a signer failure through as crypto's SignerError, before anything is sent", async () => {
    const { fake, client } = await loggedIn();
    const broken: P256Signer = {
      getPublicKey: () => Promise.reject(new Error("keychain locked")),
      sign: () => Promise.reject(new Error("keychain locked")),
    };
    const error = await client.auth.device
      .bind({ signer: broken, name: "d", otp: async () => "1" })
      .catch((e) => e);
    expect(isKontistAuthError(error, "SIGNER_FAILED")).toBe(true);
    expect(fake.requests).toHaveLength(0);

    const good = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer: good,
      name: "d",
      pollInterval: 20,
      onBindingRequest: confirmSoon(fake),
      otp: async () => lastOtp(fake),
    });
    const failing: P256Signer = {
      getPublicKey: () => good.getPublicKey(),
      sign: () => Promise.reject(new Error("no")),
    };
    const confirmError = await client.auth.device.confirm({ signer: failing, deviceId }).catch((e) => e);
    expect(isKontistAuthError(confirmError, "SIGNER_FAILED")).toBe(true);
  });

  it("refuses an otp() that gives no string, passes otp()'s own failure through, and reports a wrong OTP", async () => {
    const { fake, client } = await loggedIn({ requireBindingRequest: false });
    const signer = createSoftwareSigner();
    const options = { signer, name: "d", bindingRequest: false } as const;
    const empty = await client.auth.device.bind({ ...options, otp: async () => "" }).catch((e) => e);
    expect(empty).toBeInstanceOf(TypeError);
    const cancelled = new Error("user cancelled");
    const rejected = await client.auth.device
      .bind({ ...options, otp: () => Promise.reject(cancelled) })
      .catch((e) => e);
    expect(rejected).toBe(cancelled);
    const wrong = await client.auth.device.bind({ ...options, otp: async () => "000000" }).catch((e) => e);
    expect(wrong).toBeInstanceOf(HttpError);
    expect(wrong).toMatchObject({ code: "HTTP_ERROR", status: 400, serverMessage: "Invalid signature" });
    expect(fake.boundDevices()).toEqual([]);
  });

  it("refuses malformed options with a TypeError, sending nothing", async () => {
    const { fake, client } = await loggedIn();
    const valid = { signer: createSoftwareSigner(), name: "d", otp: async () => "1" };
    const malformed: Record<string, unknown>[] = [
      { signer: {} },
      { name: "" },
      { otp: "123456" },
      { deviceId: 7 },
      { onBindingRequest: "tell the user" },
      { bindingRequest: "no" },
      { pollInterval: 0 },
      { confirmationTimeout: Number.NaN },
      { signal: "stop" },
    ];
    for (const change of malformed) {
      await expect(client.auth.device.bind({ ...valid, ...change } as never)).rejects.toThrow(TypeError);
    }
    expect(fake.requests).toHaveLength(0);
  });
});
