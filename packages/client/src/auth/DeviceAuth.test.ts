import {
  createDeviceSignature,
  createSoftwareSigner,
  type P256Signer,
  toDeviceKeyHex,
  verifyDeviceSignature,
} from "@kontist-auth/crypto";
import { isKontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeKontist, startFakeKontist } from "../../test/fakeKontist";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import { HttpError } from "../errors/HttpError";
import { NoTokenError } from "../errors/NoTokenError";
import { UnauthorizedError } from "../errors/UnauthorizedError";

let server: FakeKontist | LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The OTP the fake "sent by SMS" last. */
const lastOtp = (fake: FakeKontist) => fake.sms.at(-1) ?? "";

async function loggedIn(options?: Parameters<typeof startFakeKontist>[0]) {
  const fake = await startFakeKontist(options);
  server = fake;
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s" });
  client.auth.tokenManager.setToken(fake.accessToken, "rt-unconfirmed");
  return { fake, client };
}

describe("DeviceAuth step by step", () => {
  it("creates, verifies and confirms a device with the wire encodings of the API", async () => {
    const { fake, client } = await loggedIn();
    const signer = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());

    const { deviceId, challengeId } = await client.auth.device.createDevice({ name: "My laptop", key });
    expect(fake.requests[0]).toMatchObject({ method: "POST", url: "/api/user/devices" });
    expect(JSON.parse(fake.requests[0]?.body ?? "")).toEqual({ name: "My laptop", key });
    expect(fake.requests[0]?.headers["content-type"]).toBe("application/json");

    const signature = await createDeviceSignature(signer, fake.sms[0] ?? "");
    await expect(
      client.auth.device.verifyDevice(deviceId, { challengeId, signature }),
    ).resolves.toBeUndefined();
    expect(fake.requests[1]?.url).toBe(`/api/user/devices/${deviceId}/verify`);

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
    for (const request of fake.requests)
      expect(request.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it("keeps the current refresh token when the confirmed token comes without one", async () => {
    const { fake, client } = await loggedIn({ confirmedRefreshToken: false });
    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({ signer, name: "d", otp: async () => lastOtp(fake) });
    const token = await client.auth.device.confirm({ signer, deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.refreshToken).toBe("rt-unconfirmed");
  });

  it("throws HttpError with the server's message for a wrong OTP signature", async () => {
    const { client } = await loggedIn();
    const signer = createSoftwareSigner();
    const error = await client.auth.device
      .bind({ signer, name: "d", otp: async () => "000000" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 400, serverMessage: "Invalid signature" });
  });

  it("throws UnauthorizedError for a token the API does not accept", async () => {
    const { client } = await loggedIn();
    client.auth.tokenManager.setToken("revoked");
    const error = await client.auth.device.createDeviceChallenge("d").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
  });

  it("throws NoTokenError and sends nothing without a token", async () => {
    const fake = await startFakeKontist();
    server = fake;
    const client = new Client({ baseUrl: fake.url, clientId: "c" });
    const signer = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());
    const calls = [
      client.auth.device.createDevice({ name: "d", key }),
      client.auth.device.verifyDevice("d", { challengeId: "c", signature: "3006020101020101" }),
      client.auth.device.createDeviceChallenge("d"),
      client.auth.device.verifyDeviceChallenge("d", "c", { signature: "3006020101020101" }),
      client.auth.device.bind({ signer, name: "d", otp: async () => "123456" }),
      client.auth.device.confirm({ signer, deviceId: "d" }),
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

describe("DeviceAuth.bind and confirm", () => {
  it("binds a device and confirms it in two calls; renewals stay with the confirmed refresh token", async () => {
    const { fake, client } = await loggedIn();
    const signer = createSoftwareSigner();
    const order: string[] = [];
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "My laptop",
      otp: async () => {
        order.push(`otp after ${fake.requests.length} request(s)`);
        return lastOtp(fake);
      },
    });
    expect(order).toEqual(["otp after 1 request(s)"]);
    expect(fake.requests.map((request) => request.url)).toEqual([
      "/api/user/devices",
      `/api/user/devices/${deviceId}/verify`,
    ]);
    const token = await client.auth.device.confirm({ signer, deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.refreshToken).toBe("rt-confirmed");
    expect(client.auth.tokenManager.token).toBe(token);
    expect(fake.requests.map((request) => request.url).slice(2)).toEqual([
      `/api/user/devices/${deviceId}/challenges`,
      expect.stringMatching(new RegExp(`^/api/user/devices/${deviceId}/challenges/[^/]+/verify$`)),
    ]);
  });

  it("passes a signer failure through as crypto's SignerError", async () => {
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
      otp: async () => lastOtp(fake),
    });
    const failing: P256Signer = {
      getPublicKey: () => good.getPublicKey(),
      sign: () => Promise.reject(new Error("no")),
    };
    const confirmError = await client.auth.device.confirm({ signer: failing, deviceId }).catch((e) => e);
    expect(isKontistAuthError(confirmError, "SIGNER_FAILED")).toBe(true);
  });

  it("refuses an otp() that gives no string, and passes otp()'s own failure through", async () => {
    const { client } = await loggedIn();
    const signer = createSoftwareSigner();
    const empty = await client.auth.device.bind({ signer, name: "d", otp: async () => "" }).catch((e) => e);
    expect(empty).toBeInstanceOf(TypeError);
    const cancelled = new Error("user cancelled");
    const rejected = await client.auth.device
      .bind({ signer, name: "d", otp: () => Promise.reject(cancelled) })
      .catch((e) => e);
    expect(rejected).toBe(cancelled);
  });
});

describe("DeviceAuth.list and remove", () => {
  it("lists the bound devices and removes one", async () => {
    server = await startLoopbackServer((request, response) => {
      if (request.method === "DELETE") return void response.writeHead(204).end();
      sendJson(response, 200, [{ id: "d-1", name: "My laptop", createdAt: "2026-01-01T10:00:00.000Z" }]);
    });
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1");
    await expect(client.auth.device.list()).resolves.toEqual([
      { id: "d-1", name: "My laptop", createdAt: "2026-01-01T10:00:00.000Z" },
    ]);
    await expect(client.auth.device.remove("d/1")).resolves.toBeUndefined();
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /api/user/devices",
      "DELETE /api/user/devices/d%2F1",
    ]);
    expect(server.requests[1]?.headers.authorization).toBe("Bearer at-1");
  });

  it("reports an unknown device and a malformed list", async () => {
    server = await startLoopbackServer((request, response) => {
      if (request.method === "DELETE")
        return sendJson(response, 404, { message: "Device not found", status: 404 });
      sendJson(response, 200, [{ id: "d-1", name: "My laptop" }]);
    });
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1");
    await expect(client.auth.device.remove("d-2")).rejects.toMatchObject({ code: "HTTP_ERROR", status: 404 });
    await expect(client.auth.device.list()).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      field: "0.createdAt",
    });
  });

  it("retries once after a 401 with a renewed token", async () => {
    let renewed = false;
    server = await startLoopbackServer((request, response) => {
      if (request.url === "/api/oauth/token") {
        renewed = true;
        return sendJson(response, 200, { access_token: "at-2", token_type: "Bearer" });
      }
      if (request.headers.authorization !== "Bearer at-2")
        return sendJson(response, 401, { message: "Expired" });
      response.writeHead(204).end();
    });
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    await client.auth.device.remove("d-1");
    expect(renewed).toBe(true);
    expect(server.requests.map((request) => request.url)).toEqual([
      "/api/user/devices/d-1",
      "/api/oauth/token",
      "/api/user/devices/d-1",
    ]);
  });
});
