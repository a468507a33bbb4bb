import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bindDevice, callApi, createDevice, other, passwordToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe("GET /api/user/devices", () => {
  it("lists the user's verified devices, oldest first, as [{ id, name, createdAt }]", async () => {
    const mine = (await passwordToken(sandbox)).access_token;
    const theirs = (await passwordToken(sandbox, other)).access_token;
    const first = await bindDevice(sandbox, mine, "Phone");
    await createDevice(sandbox, mine, undefined, "Unverified tablet");
    const second = await bindDevice(sandbox, mine, "Laptop");
    await bindDevice(sandbox, theirs, "Their phone");

    const response = await callApi(sandbox, "GET", "/api/user/devices", mine);
    expect(response.status).toBe(200);
    const devices = await response.json();
    expect(devices).toEqual([
      { id: first.deviceId, name: "Phone", createdAt: expect.any(String) },
      { id: second.deviceId, name: "Laptop", createdAt: expect.any(String) },
    ]);
    for (const device of devices) expect(new Date(device.createdAt).toISOString()).toBe(device.createdAt);
  });

  it("answers [] for a user without devices", async () => {
    const token = (await passwordToken(sandbox)).access_token;
    const response = await callApi(sandbox, "GET", "/api/user/devices", token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
  });
});
