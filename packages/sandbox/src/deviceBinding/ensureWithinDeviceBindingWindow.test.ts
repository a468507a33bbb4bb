import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { boundDevices, callApi, createDevice } from "../../test/requests";
import type { RunningSandbox } from "../index";

async function verify(sandbox: RunningSandbox, token: string) {
  const { deviceId, challengeId, otp, key } = await createDevice(sandbox, token);
  return {
    deviceId,
    verifyNow: () =>
      callApi(sandbox, "POST", `/api/user/devices/${deviceId}/verify`, token, {
        challengeId,
        signature: key.sign(otp),
      }),
  };
}

describe("POST /api/user/devices/{id}/verify within the device binding window", () => {
  const fresh = useFreshSandbox({ deviceBindingWindow: 1 });

  it("verifies within the window", async () => {
    const { verifyNow } = await verify(fresh.sandbox, fresh.accessToken);
    expect((await verifyNow()).status).toBe(204);
  });

  it("refuses with 403 once the window since the confirmation has passed; the device stays unbound", async () => {
    const { verifyNow } = await verify(fresh.sandbox, fresh.accessToken);
    await sleep(1100);
    const response = await verifyNow();
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      message:
        "The device binding window has passed: a device must be created and verified within 1 second of confirming its binding request. Start again with createDeviceBindingRequest.",
      status: 403,
    });
    expect(await boundDevices(fresh.sandbox, fresh.accessToken)).toEqual([]);
  });
});

describe("POST /api/user/devices/{id}/verify in the older API", () => {
  const fresh = useFreshSandbox({ requireDeviceBindingRequest: false, deviceBindingWindow: 1 });

  it("has no window", async () => {
    const { verifyNow } = await verify(fresh.sandbox, fresh.accessToken);
    await sleep(1100);
    expect((await verifyNow()).status).toBe(204);
  });
});
