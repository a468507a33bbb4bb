import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { useFreshSandbox } from "../../test/freshSandbox";
import { boundDevices, callApi, createDevice, other, passwordToken } from "../../test/requests";

const fresh = useFreshSandbox({ otpTtl: 0.5 });

const verify = (deviceId: string, body: unknown, token = fresh.accessToken) =>
  callApi(fresh.sandbox, "POST", `/api/user/devices/${deviceId}/verify`, token, body);

async function expectApiError(response: Response, status: number, message?: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ message: message ?? expect.any(String), status });
}

const listed = () => boundDevices(fresh.sandbox, fresh.accessToken);

describe("POST /api/user/devices/{deviceId}/verify", () => {
  it("verifies the device with the DER signature of the OTP (204, empty body)", async () => {
    const { deviceId, challengeId, otp, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    const response = await verify(deviceId, { challengeId, signature: key.sign(otp) });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await listed()).toEqual([{ id: deviceId, name: "Test phone" }]);
  });

  it("accepts the signature hex in upper case", async () => {
    const { deviceId, challengeId, otp, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    expect((await verify(deviceId, { challengeId, signature: key.sign(otp).toUpperCase() })).status).toBe(
      204,
    );
  });

  it("refuses a signature of something else with 400, and the device stays unverified", async () => {
    const { deviceId, challengeId, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    const response = await verify(deviceId, { challengeId, signature: key.sign("000000") });
    await expectApiError(
      response,
      400,
      "The signature does not verify with the device's key (2 attempts left).",
    );
    expect(await listed()).toEqual([]);
  });

  it("refuses a signature by another key with 400", async () => {
    const { deviceId, challengeId, otp } = await createDevice(fresh.sandbox, fresh.accessToken);
    const response = await verify(deviceId, { challengeId, signature: createTestDeviceKey().sign(otp) });
    await expectApiError(response, 400);
  });

  it("refuses a signature that is not DER hex with 400 naming the field", async () => {
    const { deviceId, challengeId } = await createDevice(fresh.sandbox, fresh.accessToken);
    const response = await verify(deviceId, { challengeId, signature: "not-hex" });
    await expectApiError(response, 400, "Invalid body: field `signature` has the wrong format.");
  });

  it("kills the OTP after otpAttempts wrong signatures: then even the right one gets 410", async () => {
    const { deviceId, challengeId, otp, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    const wrong = createTestDeviceKey().sign(otp);
    await expectApiError(await verify(deviceId, { challengeId, signature: wrong }), 400);
    await expectApiError(await verify(deviceId, { challengeId, signature: wrong }), 400);
    await expectApiError(
      await verify(deviceId, { challengeId, signature: wrong }),
      400,
      "The signature does not verify with the device's key (0 attempts left).",
    );
    await expectApiError(
      await verify(deviceId, { challengeId, signature: key.sign(otp) }),
      410,
      "This challenge has no attempts left; start a new one.",
    );
  });

  it("refuses a replayed OTP signature with 409", async () => {
    const { deviceId, challengeId, otp, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    const signature = key.sign(otp);
    expect((await verify(deviceId, { challengeId, signature })).status).toBe(204);
    await expectApiError(
      await verify(deviceId, { challengeId, signature }),
      409,
      "This challenge has already been used.",
    );
  });

  it("refuses an expired OTP with 410", async () => {
    const { deviceId, challengeId, otp, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    await sleep(600);
    await expectApiError(
      await verify(deviceId, { challengeId, signature: key.sign(otp) }),
      410,
      "This challenge has expired.",
    );
  });

  it("answers another user's device with 404, as if it did not exist", async () => {
    const { deviceId, challengeId, otp, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    const otherToken = (await passwordToken(fresh.sandbox, other)).access_token;
    const response = await verify(deviceId, { challengeId, signature: key.sign(otp) }, otherToken);
    await expectApiError(response, 404, "Device not found.");
    await expectApiError(
      await verify(crypto.randomUUID(), { challengeId, signature: key.sign(otp) }),
      404,
      "Device not found.",
    );
  });

  it("answers an unknown challenge or one of another device with 404", async () => {
    const first = await createDevice(fresh.sandbox, fresh.accessToken);
    const second = await createDevice(fresh.sandbox, fresh.accessToken);
    await expectApiError(
      await verify(first.deviceId, {
        challengeId: second.challengeId,
        signature: first.key.sign(second.otp),
      }),
      404,
      "Challenge not found.",
    );
    await expectApiError(
      await verify(first.deviceId, {
        challengeId: crypto.randomUUID(),
        signature: first.key.sign(first.otp),
      }),
      404,
      "Challenge not found.",
    );
  });
});
