import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { useFreshSandbox } from "../../test/freshSandbox";
import {
  callApi,
  confirmedBindingRequest,
  other,
  passwordToken,
  requestDeviceBinding,
} from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

const postDevice = (sandbox: RunningSandbox, token: string) =>
  callApi(sandbox, "POST", "/api/user/devices", token, { name: "Pixel", key: createTestDeviceKey().keyHex });

async function expectRefused(response: Response, window = "3 minutes") {
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({
    message: `No confirmed device binding request: call createDeviceBindingRequest and have the user confirm it, then create the device within ${window} (one confirmed request allows one device).`,
    status: 403,
  });
}

describe("POST /api/user/devices needs a confirmed device binding request (the default)", () => {
  const fresh = useFreshSandbox();

  it("refuses a user without any request with 403 naming the missing step, and texts nothing", async () => {
    await expectRefused(await postDevice(fresh.sandbox, fresh.accessToken));
    expect(await fresh.sandbox.test.sms()).toEqual([]);
  });

  it("refuses while the request is unconfirmed, and after it was rejected", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await expectRefused(await postDevice(fresh.sandbox, fresh.accessToken));
    await fresh.sandbox.test.rejectBindingRequest(request.id);
    await expectRefused(await postDevice(fresh.sandbox, fresh.accessToken));
  });

  it("allows one device per confirmed request", async () => {
    await confirmedBindingRequest(fresh.sandbox, fresh.accessToken);
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
    await expectRefused(await postDevice(fresh.sandbox, fresh.accessToken));
    await confirmedBindingRequest(fresh.sandbox, fresh.accessToken);
    await confirmedBindingRequest(fresh.sandbox, fresh.accessToken);
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
    await expectRefused(await postDevice(fresh.sandbox, fresh.accessToken));
  });

  it("counts only the user's own requests, from any of their tokens", async () => {
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    await confirmedBindingRequest(fresh.sandbox, theirs);
    await expectRefused(await postDevice(fresh.sandbox, fresh.accessToken));
    const anotherOfMine = (await passwordToken(fresh.sandbox)).access_token;
    await confirmedBindingRequest(fresh.sandbox, anotherOfMine);
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
  });
});

describe("POST /api/user/devices with a short deviceBindingWindow", () => {
  const fresh = useFreshSandbox({ deviceBindingWindow: 1 });

  it("refuses once the window since the confirmation has lapsed", async () => {
    await confirmedBindingRequest(fresh.sandbox, fresh.accessToken);
    await sleep(1100);
    await expectRefused(await postDevice(fresh.sandbox, fresh.accessToken), "1 second");
  });

  it("counts the window from the confirmation, not from the request", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await sleep(1100);
    await fresh.sandbox.test.confirmBindingRequest(request.id);
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
  });
});

describe("POST /api/user/devices with requireDeviceBindingRequest: false (the older API)", () => {
  const fresh = useFreshSandbox({ requireDeviceBindingRequest: false, deviceBindingWindow: 1 });

  it("creates devices without any request, as many as asked", async () => {
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await fresh.sandbox.test.rejectBindingRequest(request.id);
    expect((await postDevice(fresh.sandbox, fresh.accessToken)).status).toBe(201);
  });
});

describe("the deviceBindingWindow option", () => {
  it("must be a positive number of seconds", async () => {
    for (const deviceBindingWindow of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(startSandbox({ deviceBindingWindow })).rejects.toThrow(
        "startSandbox: deviceBindingWindow must be a positive number of seconds.",
      );
    }
  });
});
