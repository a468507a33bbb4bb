import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import {
  bindDevice,
  callApi,
  createChallenge,
  jwtPayload,
  other,
  passwordToken,
  postGraphQL,
} from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, challengeTtl: 0.5, otpAttempts: 2 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const verify = (deviceId: string, challengeId: string, signature: string, token: string) =>
  callApi(sandbox, "POST", `/api/user/devices/${deviceId}/challenges/${challengeId}/verify`, token, {
    signature,
  });

async function expectApiError(response: Response, status: number, message?: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ message: message ?? expect.any(String), status });
}

async function boundDevice(scope?: string) {
  const token = await passwordToken(sandbox, scope === undefined ? {} : { scope });
  const device = await bindDevice(sandbox, token.access_token);
  const challenge = await createChallenge(sandbox, token.access_token, device.deviceId);
  return { accessToken: token.access_token, ...device, challenge };
}

describe("POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify", () => {
  it("answers 200 { token, refresh_token }: a confirmed token for the same user, client and scopes", async () => {
    const { accessToken, deviceId, key, challenge } = await boundDevice();
    const response = await verify(deviceId, challenge.id, key.sign(challenge.stringToSign), accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({ token: expect.any(String), refresh_token: expect.stringMatching(/^[\w-]{43}$/) });
    const before = jwtPayload(accessToken);
    const after = jwtPayload(body.token);
    expect(after).toMatchObject({
      sub: before.sub,
      client_id: before.client_id,
      scope: before.scope,
      cnf: { kid: deviceId },
    });
    expect(before).not.toHaveProperty("cnf");
    // The confirmed token works as a bearer token, and opens banking data.
    expect((await callApi(sandbox, "GET", "/api/user/mfa/challenges", body.token)).status).toBe(200);
    const banking = await postGraphQL(sandbox, body.token, { query: "{ viewer { mainAccount { iban } } }" });
    expect(await banking.json()).toEqual({ data: { viewer: { mainAccount: { iban: expect.any(String) } } } });
  });

  it("gives no refresh token when the bearer token's scopes lack offline", async () => {
    const { accessToken, deviceId, key, challenge } = await boundDevice("accounts transfers");
    const response = await verify(deviceId, challenge.id, key.sign(challenge.stringToSign), accessToken);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ token: expect.any(String) });
    expect(jwtPayload(body.token)).toMatchObject({ scope: "accounts transfers", cnf: { kid: deviceId } });
  });

  it("refuses a wrong signature with 400 and a signature by another key with 400", async () => {
    const { accessToken, deviceId, key, challenge } = await boundDevice();
    await expectApiError(await verify(deviceId, challenge.id, key.sign("something else"), accessToken), 400);
    const second = await createChallenge(sandbox, accessToken, deviceId);
    await expectApiError(
      await verify(deviceId, second.id, createTestDeviceKey().sign(second.stringToSign), accessToken),
      400,
    );
  });

  it("kills the challenge after otpAttempts wrong signatures (410)", async () => {
    const { accessToken, deviceId, key, challenge } = await boundDevice();
    const wrong = key.sign("wrong");
    await expectApiError(await verify(deviceId, challenge.id, wrong, accessToken), 400);
    await expectApiError(await verify(deviceId, challenge.id, wrong, accessToken), 400);
    await expectApiError(
      await verify(deviceId, challenge.id, key.sign(challenge.stringToSign), accessToken),
      410,
      "This challenge has no attempts left; start a new one.",
    );
  });

  it("refuses a replayed challenge with 409", async () => {
    const { accessToken, deviceId, key, challenge } = await boundDevice();
    const signature = key.sign(challenge.stringToSign);
    expect((await verify(deviceId, challenge.id, signature, accessToken)).status).toBe(200);
    await expectApiError(
      await verify(deviceId, challenge.id, signature, accessToken),
      409,
      "This challenge has already been used.",
    );
  });

  it("refuses an expired challenge with 410", async () => {
    const { accessToken, deviceId, key, challenge } = await boundDevice();
    await sleep(600);
    await expectApiError(
      await verify(deviceId, challenge.id, key.sign(challenge.stringToSign), accessToken),
      410,
      "This challenge has expired.",
    );
  });

  it("answers another user's device or challenge with 404", async () => {
    const mine = await boundDevice();
    const theirToken = (await passwordToken(sandbox, other)).access_token;
    const theirs = await bindDevice(sandbox, theirToken);
    const signature = mine.key.sign(mine.challenge.stringToSign);
    await expectApiError(
      await verify(mine.deviceId, mine.challenge.id, signature, theirToken),
      404,
      "Device not found.",
    );
    await expectApiError(
      await verify(theirs.deviceId, mine.challenge.id, signature, theirToken),
      404,
      "Challenge not found.",
    );
    await expectApiError(
      await verify(mine.deviceId, "unknown", signature, mine.accessToken),
      404,
      "Challenge not found.",
    );
    // Still usable by its owner: the probes did not touch it.
    expect((await verify(mine.deviceId, mine.challenge.id, signature, mine.accessToken)).status).toBe(200);
  });
});
