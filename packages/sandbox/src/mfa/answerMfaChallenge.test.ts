import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callApi, confirm, deleteBoundDevice, jwtPayload, passwordToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

// Finding 11 of issue 9: only a bound, verified device approves a push challenge, and never one its own
// session started; a confirmation dies with its device.

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function newChallenge(accessToken: string): Promise<string> {
  const response = await callApi(sandbox, "POST", "/api/user/mfa/challenges", accessToken);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const approve = (accessToken: string, challengeId: string) =>
  callApi(sandbox, "PATCH", `/api/user/mfa/challenges/${challengeId}`, accessToken, { status: "VERIFIED" });

async function statusOf(accessToken: string, challengeId: string): Promise<string> {
  const response = await callApi(sandbox, "GET", `/api/user/mfa/challenges/${challengeId}`, accessToken);
  return ((await response.json()) as { status: string }).status;
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({ message: expect.any(String), status: 403 });
}

/** A confirmed token of a freshly bound device, in a sign-in of its own (as the user's phone holds one). */
async function boundPhone() {
  return confirm(sandbox, (await passwordToken(sandbox)).access_token);
}

describe("PATCH /api/user/mfa/challenges/{id}: who may approve", () => {
  it("finding 11: a token whose device was deleted cannot approve (403), and the challenge stays pending", async () => {
    const phone = await boundPhone();
    expect(await deleteBoundDevice(sandbox, phone.token, phone.deviceId)).toEqual({
      data: { deleteBoundDevice: true },
    });
    const { access_token } = await passwordToken(sandbox);
    const challengeId = await newChallenge(access_token);
    await expectRefused(await approve(phone.token, challengeId));
    expect(await statusOf(access_token, challengeId)).toBe("PENDING");
  });

  it("finding 11: a token confirmed without a device (cnf.kid is a challenge id) cannot approve (403)", async () => {
    const first = await passwordToken(sandbox);
    const firstChallenge = await newChallenge(first.access_token);
    await sandbox.test.approveMfaChallenge(firstChallenge);
    const taken = await callApi(
      sandbox,
      "POST",
      `/api/user/mfa/challenges/${firstChallenge}/token`,
      first.access_token,
    );
    const { token } = (await taken.json()) as { token: string };
    expect(jwtPayload(token)).toMatchObject({ cnf: { kid: firstChallenge } });

    const second = await passwordToken(sandbox);
    const challengeId = await newChallenge(second.access_token);
    await expectRefused(await approve(token, challengeId));
    expect(await statusOf(second.access_token, challengeId)).toBe("PENDING");
  });

  it("finding 11: a confirmed token cannot approve a challenge its own sign-in started (403)", async () => {
    // The thief of a laptop's confirmed access token must not turn it into a fresh confirmed refresh token.
    const { access_token } = await passwordToken(sandbox);
    const laptop = await confirm(sandbox, access_token);
    for (const creator of [laptop.token, access_token]) {
      const challengeId = await newChallenge(creator);
      await expectRefused(await approve(laptop.token, challengeId));
      expect(await statusOf(access_token, challengeId)).toBe("PENDING");
    }
  });

  it("finding 11: a push challenge approved by a device deleted since yields no token (403)", async () => {
    const phone = await boundPhone();
    const { access_token } = await passwordToken(sandbox);
    const challengeId = await newChallenge(access_token);
    expect((await approve(phone.token, challengeId)).status).toBe(204);
    await deleteBoundDevice(sandbox, phone.token, phone.deviceId);
    await expectRefused(
      await callApi(sandbox, "POST", `/api/user/mfa/challenges/${challengeId}/token`, access_token),
    );
  });

  it("lets a bound device of another sign-in approve: the token is confirmed by that device", async () => {
    const phone = await boundPhone();
    const { access_token } = await passwordToken(sandbox);
    const challengeId = await newChallenge(access_token);
    expect((await approve(phone.token, challengeId)).status).toBe(204);
    const taken = await callApi(
      sandbox,
      "POST",
      `/api/user/mfa/challenges/${challengeId}/token`,
      access_token,
    );
    expect(taken.status).toBe(200);
    expect(jwtPayload(((await taken.json()) as { token: string }).token)).toMatchObject({
      cnf: { kid: phone.deviceId },
    });
  });
});
