import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import {
  bindDevice,
  boundDevices,
  callApi,
  createChallenge,
  deleteBoundDevice,
  other,
  passwordToken,
} from "../../test/requests";

const fresh = useFreshSandbox();

const notFound = {
  data: null,
  errors: [
    {
      message: "Device not found.",
      locations: [{ line: 2, column: 3 }],
      path: ["deleteBoundDevice"],
      extensions: { status: 404, type: "http://www.iana.org/assignments/http-status-codes#404" },
    },
  ],
};

describe("mutation deleteBoundDevice", () => {
  it("deletes the device with its open challenges (true); a second delete is status 404", async () => {
    const { deviceId, key } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const challenge = await createChallenge(fresh.sandbox, fresh.accessToken, deviceId);
    expect(await deleteBoundDevice(fresh.sandbox, fresh.accessToken, deviceId)).toEqual({
      data: { deleteBoundDevice: true },
    });
    expect(await boundDevices(fresh.sandbox, fresh.accessToken)).toEqual([]);
    expect(await deleteBoundDevice(fresh.sandbox, fresh.accessToken, deviceId)).toEqual(notFound);
    const late = await callApi(
      fresh.sandbox,
      "POST",
      `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
      fresh.accessToken,
      { signature: key.sign(challenge.stringToSign) },
    );
    expect(late.status).toBe(404);
  });

  it("answers another user's device and an unknown id with status 404, and leaves it alone", async () => {
    const { deviceId } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    expect(await deleteBoundDevice(fresh.sandbox, theirs, deviceId)).toEqual(notFound);
    expect(await deleteBoundDevice(fresh.sandbox, theirs, "no-such-device")).toEqual(notFound);
    expect(await boundDevices(fresh.sandbox, fresh.accessToken)).toEqual([
      { id: deviceId, name: "Test phone" },
    ]);
  });

  it("answers without a token with status 401 and deletes nothing", async () => {
    const { deviceId } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const response = await fetch(`${fresh.sandbox.url}/api/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: `mutation { deleteBoundDevice(deviceId: "${deviceId}") }` }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data).toBeNull();
    expect(body.errors[0].extensions.status).toBe(401);
    expect(await boundDevices(fresh.sandbox, fresh.accessToken)).toHaveLength(1);
  });
});
