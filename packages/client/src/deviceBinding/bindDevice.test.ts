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
  sleep,
} from "@kontist-auth/protocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import {
  bindingRequestPolls,
  type ClientSandbox,
  onBindingRequestPoll,
  type SentRequest,
  type SignedInClient,
  sandboxClient,
  startClientSandbox,
} from "../../test/sandbox";
import { Client } from "../Client";
import { DeviceBindingCancelledError } from "../errors/DeviceBindingCancelledError";
import { DeviceBindingRejectedError } from "../errors/DeviceBindingRejectedError";
import { HttpError } from "../errors/HttpError";
import { NoTokenError } from "../errors/NoTokenError";
import { TimeoutError } from "../errors/TimeoutError";
import { UnauthorizedError } from "../errors/UnauthorizedError";

/** Kontist's API today: a device needs a confirmed binding request. */
let today: ClientSandbox;
/** The older API, where any token creates devices. */
let older: ClientSandbox;
beforeAll(async () => {
  today = await startClientSandbox();
  older = await startClientSandbox({ requireDeviceBindingRequest: false });
});
afterAll(async () => {
  await today?.close();
  await older?.close();
});
beforeEach(() => {
  today.reset();
  older.reset();
});

/** For exact answers the sandbox does not give (a path to echo, a malformed token): a loopback server. */
let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `METHOD /path`, with the operation's name for GraphQL requests. */
function describeRequest(request: SentRequest): string {
  if (request.url !== "/api/graphql") return `${request.method} ${request.url}`;
  const { query } = JSON.parse(request.body) as { query: string };
  return `graphql ${/^(?:query|mutation) (\w+)/.exec(query)?.[1]}`;
}

/** What a user does with the e-mail: clicks the link a moment later. */
const confirmSoon = (sandbox: ClientSandbox) => (request: DeviceBindingRequest) => {
  setTimeout(() => void sandbox.test.confirmBindingRequest(request.id), 30);
};

/** The confirmed token as the sandbox answered the last request of `session`'s client. */
async function confirmedTokenAnswer(session: SignedInClient) {
  const answer = (await session.sent.at(-1)?.response?.json()) as { token: string; refresh_token?: string };
  expect(answer.refresh_token).toEqual(expect.any(String));
  return answer;
}

/** The user's bound devices, listed by another client of the same sign-in (`session`'s client sends nothing). */
function boundDevices(sandbox: ClientSandbox, session: SignedInClient) {
  const other = new Client({ baseUrl: sandbox.url, clientId: sandboxClient.clientId });
  other.auth.tokenManager.setToken(session.accessToken);
  return other.auth.device.list();
}

describe("DeviceAuth step by step", () => {
  it("asks for a binding request, then creates, verifies and confirms a device with the API's wire encodings", async () => {
    const session = await today.signIn();
    const { client } = session;
    const signer = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());

    // Today's API refuses a device without a confirmed binding request.
    await expect(client.auth.device.createDevice({ name: "My laptop", key })).rejects.toMatchObject({
      code: "HTTP_ERROR",
      status: 403,
    });
    const request = await client.auth.device.requestBinding({ name: "My laptop" });
    await today.test.confirmBindingRequest(request.id);

    const { deviceId, challengeId } = await client.auth.device.createDevice({ name: "My laptop", key });
    const create = session.sent.filter((r) => r.url === "/api/user/devices").at(-1);
    expect(create).toMatchObject({ method: "POST" });
    expect(JSON.parse(create?.body ?? "")).toEqual({ name: "My laptop", key });
    expect(create?.headers["content-type"]).toBe("application/json");

    const signature = await createDeviceSignature(signer, await today.test.latestOtp());
    await expect(
      client.auth.device.verifyDevice(deviceId, { challengeId, signature }),
    ).resolves.toBeUndefined();
    expect(session.sent.at(-1)?.url).toBe(`/api/user/devices/${deviceId}/verify`);

    const challenge = await client.auth.device.createDeviceChallenge(deviceId);
    expect(challenge).toEqual({ id: expect.any(String), stringToSign: expect.any(String) });
    const challengeSignature = await createDeviceSignature(signer, challenge.stringToSign);
    expect(verifyDeviceSignature(key, challenge.stringToSign, challengeSignature)).toBe(true);

    const token = await client.auth.device.verifyDeviceChallenge(deviceId, challenge.id, {
      signature: challengeSignature,
    });
    const answer = await confirmedTokenAnswer(session);
    expect(token).toMatchObject({
      accessToken: answer.token,
      refreshToken: answer.refresh_token,
      confirmed: true,
    });
    expect(client.auth.tokenManager.token).toBe(token);
    for (const sent of session.sent) expect(sent.headers.authorization).toBe(`Bearer ${session.accessToken}`);
  });

  it("keeps the current refresh token when the confirmed token comes without one", async () => {
    // Without the `offline` scope the sandbox confirms with no refresh token.
    const { client, accessToken } = await older.signIn({ scopes: ["users"] });
    client.auth.tokenManager.setToken(accessToken, "rt-unconfirmed");
    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "d",
      otp: () => older.test.latestOtp(),
      bindingRequest: false,
    });
    const token = await client.auth.device.confirm({ signer, deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.refreshToken).toBe("rt-unconfirmed");
  });

  it("throws UnauthorizedError for a token the API does not accept", async () => {
    const { client } = await today.signIn();
    client.auth.tokenManager.setToken("revoked");
    const error = await client.auth.device.createDeviceChallenge("d").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
  });

  it("throws NoTokenError and sends nothing without a token, GraphQL calls included", async () => {
    const client = new Client({ baseUrl: today.url, clientId: "c" });
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
    expect(await today.received()).toBe(0);
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
    const session = await today.signIn();
    const { client } = session;
    const signer = createSoftwareSigner();
    const events: string[] = [];
    let told: DeviceBindingRequest | undefined;
    onBindingRequestPoll(session, async (poll, id) => {
      events.push(`poll ${poll}`);
      if (poll === 2) await today.test.confirmBindingRequest(id);
    });
    const result = await client.auth.device.bind({
      signer,
      name: "My laptop",
      pollInterval: 20,
      onBindingRequest: async (request) => {
        told = request;
        events.push(`told the user after ${await session.received()} request(s)`);
        await sleep(10);
      },
      otp: async () => {
        events.push(`otp after ${await session.received()} request(s)`);
        return today.test.latestOtp();
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
    expect(session.sent.map(describeRequest)).toEqual([
      "graphql createDeviceBindingRequest",
      "graphql getDeviceBindingRequest",
      "graphql getDeviceBindingRequest",
      "POST /api/user/devices",
      `POST /api/user/devices/${result.deviceId}/verify`,
    ]);
    expect(JSON.parse(session.sent[0]?.body ?? "").variables).toEqual({ deviceName: "My laptop" });
    expect(await boundDevices(today, session)).toEqual([{ id: result.deviceId, name: "My laptop" }]);

    const token = await client.auth.device.confirm({ signer, deviceId: result.deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.refreshToken).toBe((await confirmedTokenAnswer(session)).refresh_token);
    expect(client.auth.tokenManager.token).toBe(token);
    expect(session.sent.map(describeRequest).slice(5)).toEqual([
      `POST /api/user/devices/${result.deviceId}/challenges`,
      expect.stringMatching(
        new RegExp(`^POST /api/user/devices/${result.deviceId}/challenges/[^/]+/verify$`),
      ),
    ]);
  });

  it("passes deviceId on to createDeviceBindingRequest", async () => {
    const session = await today.signIn();
    await session.client.auth.device.bind({
      signer: createSoftwareSigner(),
      name: "d",
      deviceId: "previous-device",
      pollInterval: 20,
      onBindingRequest: confirmSoon(today),
      otp: () => today.test.latestOtp(),
    });
    expect(JSON.parse(session.sent[0]?.body ?? "").variables).toEqual({
      deviceName: "d",
      deviceId: "previous-device",
    });
  });

  it("skips the binding request with bindingRequest: false, for the older API (which today's refuses)", async () => {
    const olderSession = await older.signIn();
    const signer = createSoftwareSigner();
    let told = false;
    const result = await olderSession.client.auth.device.bind({
      signer,
      name: "d",
      bindingRequest: false,
      onBindingRequest: () => {
        told = true;
      },
      otp: () => older.test.latestOtp(),
    });
    expect(result).toEqual({ deviceId: expect.any(String) });
    expect(told).toBe(false);
    expect(olderSession.sent.map(describeRequest)).toEqual([
      "POST /api/user/devices",
      `POST /api/user/devices/${result.deviceId}/verify`,
    ]);

    const { client } = await today.signIn();
    const error = await client.auth.device
      .bind({ signer, name: "d", bindingRequest: false, otp: () => today.test.latestOtp() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      status: 403,
      serverMessage: expect.stringMatching(/^No confirmed device binding request: /),
    });
  });

  it("stops with the error of onBindingRequest, whether it rejects or throws, before waiting", async () => {
    const session = await today.signIn();
    const signer = createSoftwareSigner();
    const failure = new Error("could not show the message");
    for (const onBindingRequest of [
      () => Promise.reject(failure),
      () => {
        throw failure;
      },
    ]) {
      const error = await session.client.auth.device
        .bind({ signer, name: "d", onBindingRequest, otp: () => today.test.latestOtp() })
        .catch((e: unknown) => e);
      expect(error).toBe(failure);
    }
    expect(session.sent.map(describeRequest)).toEqual([
      "graphql createDeviceBindingRequest",
      "graphql createDeviceBindingRequest",
    ]);
  });

  it("stops when the user rejects the request, and registers no device", async () => {
    const session = await today.signIn();
    let otpAsked = false;
    const error = await session.client.auth.device
      .bind({
        signer: createSoftwareSigner(),
        name: "d",
        pollInterval: 20,
        onBindingRequest: (request) => today.test.rejectBindingRequest(request.id),
        otp: async () => {
          otpAsked = true;
          return "1";
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceBindingRejectedError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_REJECTED" });
    expect(otpAsked).toBe(false);
    expect(session.sent.some((request) => request.url.startsWith("/api/user/devices"))).toBe(false);
  });

  it("gives up after confirmationTimeout with a TimeoutError", async () => {
    const session = await today.signIn();
    const started = Date.now();
    const error = await session.client.auth.device
      .bind({
        signer: createSoftwareSigner(),
        name: "d",
        pollInterval: 20,
        confirmationTimeout: 150,
        otp: () => today.test.latestOtp(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", timeout: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await bindingRequestPolls(session)).toBeGreaterThanOrEqual(2);
  });

  it("is cancelled by its signal while waiting for the confirmation, or while asking for the OTP", async () => {
    const session = await today.signIn();
    const { client } = session;
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
        otp: () => today.test.latestOtp(),
      })
      .catch((e: unknown) => e);
    expect(whileWaiting).toBeInstanceOf(DeviceBindingCancelledError);
    expect(whileWaiting).toMatchObject({ code: "DEVICE_BINDING_CANCELLED", cause: reason });
    const polls = await bindingRequestPolls(session);
    await sleep(60);
    expect(await bindingRequestPolls(session)).toBe(polls);

    const asking = new AbortController();
    const whileAsking = await client.auth.device
      .bind({
        signer,
        name: "d",
        pollInterval: 20,
        signal: asking.signal,
        onBindingRequest: confirmSoon(today),
        otp: () => {
          setTimeout(() => asking.abort(reason), 20);
          return new Promise<string>(() => {}); // the user never answers
        },
      })
      .catch((e: unknown) => e);
    expect(whileAsking).toBeInstanceOf(DeviceBindingCancelledError);
    expect((whileAsking as Error).cause).toBe(reason);
    expect(session.sent.some((request) => request.url.endsWith("/verify"))).toBe(false);

    const before = await session.received();
    await expect(
      client.auth.device.bind({ signer, name: "d", signal: AbortSignal.abort(), otp: async () => "1" }),
    ).rejects.toBeInstanceOf(DeviceBindingCancelledError);
    expect(await session.received()).toBe(before);
  });

  it("passes a signer failure through as crypto's SignerError, before anything is sent", async () => {
    const session = await today.signIn();
    const { client } = session;
    const broken: P256Signer = {
      getPublicKey: () => Promise.reject(new Error("keychain locked")),
      sign: () => Promise.reject(new Error("keychain locked")),
    };
    const error = await client.auth.device
      .bind({ signer: broken, name: "d", otp: async () => "1" })
      .catch((e) => e);
    expect(isKontistAuthError(error, "SIGNER_FAILED")).toBe(true);
    expect(await session.received()).toBe(0);

    const good = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer: good,
      name: "d",
      pollInterval: 20,
      onBindingRequest: confirmSoon(today),
      otp: () => today.test.latestOtp(),
    });
    const failing: P256Signer = {
      getPublicKey: () => good.getPublicKey(),
      sign: () => Promise.reject(new Error("no")),
    };
    const confirmError = await client.auth.device.confirm({ signer: failing, deviceId }).catch((e) => e);
    expect(isKontistAuthError(confirmError, "SIGNER_FAILED")).toBe(true);
  });

  it("refuses an otp() that gives no string, passes otp()'s own failure through, and reports a wrong OTP", async () => {
    const session = await older.signIn();
    const { client } = session;
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
    expect(wrong).toMatchObject({
      code: "HTTP_ERROR",
      status: 400,
      serverMessage: expect.stringMatching(/^The signature does not verify/),
    });
    expect(await boundDevices(older, session)).toEqual([]);
  });

  it("refuses malformed options with a TypeError, sending nothing", async () => {
    const session = await today.signIn();
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
      await expect(session.client.auth.device.bind({ ...valid, ...change } as never)).rejects.toThrow(
        TypeError,
      );
    }
    expect(await session.received()).toBe(0);
  });
});
