import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bindDevice, callApi, createChallenge, other, passwordToken } from "../../test/requests";
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

const remove = (deviceId: string, token = accessToken) =>
  callApi(sandbox, "DELETE", `/api/user/devices/${deviceId}`, token);

describe("DELETE /api/user/devices/{deviceId}", () => {
  it("deletes the device (204) with its open challenges; a second delete is 404", async () => {
    const { deviceId, key } = await bindDevice(sandbox, accessToken);
    const challenge = await createChallenge(sandbox, accessToken, deviceId);
    const response = await remove(deviceId);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await (await callApi(sandbox, "GET", "/api/user/devices", accessToken)).json()).toEqual([]);

    const again = await remove(deviceId);
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ message: "Device not found.", status: 404 });
    const late = await callApi(
      sandbox,
      "POST",
      `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
      accessToken,
      { signature: key.sign(challenge.stringToSign) },
    );
    expect(late.status).toBe(404);
  });

  it("answers another user's device with 404 and leaves it alone", async () => {
    const { deviceId } = await bindDevice(sandbox, accessToken);
    const theirToken = (await passwordToken(sandbox, other)).access_token;
    const response = await remove(deviceId, theirToken);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "Device not found.", status: 404 });
    expect(await (await callApi(sandbox, "GET", "/api/user/devices", accessToken)).json()).toHaveLength(1);
  });
});
