import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bindDevice, callApi, createDevice, other, passwordToken, uuid } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
let accessToken: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  sandbox.reset();
  accessToken = (await passwordToken(sandbox)).access_token;
});

const challenge = (deviceId: string, token = accessToken) =>
  callApi(sandbox, "POST", `/api/user/devices/${deviceId}/challenges`, token);

describe("POST /api/user/devices/{deviceId}/challenges", () => {
  it("creates a challenge for a verified device (201 { id, stringToSign }), a fresh one each time", async () => {
    const { deviceId } = await bindDevice(sandbox, accessToken);
    const response = await challenge(deviceId);
    expect(response.status).toBe(201);
    const first = await response.json();
    expect(first).toEqual({ id: uuid, stringToSign: expect.stringMatching(/^[\w-]{43}$/) });
    const second = await (await challenge(deviceId)).json();
    expect(second.id).not.toBe(first.id);
    expect(second.stringToSign).not.toBe(first.stringToSign);
  });

  it("refuses a device that is not verified yet with 409", async () => {
    const { deviceId } = await createDevice(sandbox, accessToken);
    const response = await challenge(deviceId);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ message: "The device is not verified yet.", status: 409 });
  });

  it("answers another user's device and an unknown id with 404", async () => {
    const { deviceId } = await bindDevice(sandbox, accessToken);
    const otherToken = (await passwordToken(sandbox, other)).access_token;
    for (const response of [await challenge(deviceId, otherToken), await challenge("no-such-device")]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Device not found.", status: 404 });
    }
  });
});
