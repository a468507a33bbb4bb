import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { bindDevice, callApi, createDevice, other, passwordToken, uuid } from "../../test/requests";

const fresh = useFreshSandbox();

const challenge = (deviceId: string, token = fresh.accessToken) =>
  callApi(fresh.sandbox, "POST", `/api/user/devices/${deviceId}/challenges`, token);

describe("POST /api/user/devices/{deviceId}/challenges", () => {
  it("creates a challenge for a verified device (201 { id, stringToSign }), a fresh one each time", async () => {
    const { deviceId } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const response = await challenge(deviceId);
    expect(response.status).toBe(201);
    const first = await response.json();
    expect(first).toEqual({ id: uuid, stringToSign: expect.stringMatching(/^[\w-]{43}$/) });
    const second = await (await challenge(deviceId)).json();
    expect(second.id).not.toBe(first.id);
    expect(second.stringToSign).not.toBe(first.stringToSign);
  });

  it("refuses a device that is not verified yet with 409", async () => {
    const { deviceId } = await createDevice(fresh.sandbox, fresh.accessToken);
    const response = await challenge(deviceId);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ message: "The device is not verified yet.", status: 409 });
  });

  it("answers another user's device and an unknown id with 404", async () => {
    const { deviceId } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const otherToken = (await passwordToken(fresh.sandbox, other)).access_token;
    for (const response of [await challenge(deviceId, otherToken), await challenge("no-such-device")]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Device not found.", status: 404 });
    }
  });
});
