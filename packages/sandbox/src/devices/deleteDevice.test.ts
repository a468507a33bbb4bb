import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { bindDevice, callApi, createChallenge, other, passwordToken } from "../../test/requests";

const fresh = useFreshSandbox();

const remove = (deviceId: string, token = fresh.accessToken) =>
  callApi(fresh.sandbox, "DELETE", `/api/user/devices/${deviceId}`, token);

describe("DELETE /api/user/devices/{deviceId}", () => {
  it("deletes the device (204) with its open challenges; a second delete is 404", async () => {
    const { deviceId, key } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const challenge = await createChallenge(fresh.sandbox, fresh.accessToken, deviceId);
    const response = await remove(deviceId);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(
      await (await callApi(fresh.sandbox, "GET", "/api/user/devices", fresh.accessToken)).json(),
    ).toEqual([]);

    const again = await remove(deviceId);
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ message: "Device not found.", status: 404 });
    const late = await callApi(
      fresh.sandbox,
      "POST",
      `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
      fresh.accessToken,
      { signature: key.sign(challenge.stringToSign) },
    );
    expect(late.status).toBe(404);
  });

  it("answers another user's device with 404 and leaves it alone", async () => {
    const { deviceId } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const theirToken = (await passwordToken(fresh.sandbox, other)).access_token;
    const response = await remove(deviceId, theirToken);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "Device not found.", status: 404 });
    expect(
      await (await callApi(fresh.sandbox, "GET", "/api/user/devices", fresh.accessToken)).json(),
    ).toHaveLength(1);
  });
});
