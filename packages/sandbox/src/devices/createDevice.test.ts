import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { useFreshSandbox } from "../../test/freshSandbox";
import { callApi, confirmedBindingRequest, demo, other, passwordToken, uuid } from "../../test/requests";
import { startSandbox } from "../index";
import { sandboxDefaults } from "../options/resolveSandboxOptions";

const fresh = useFreshSandbox();

async function expectApiError(response: Response, status: number, message?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await response.json()).toEqual({ message: message ?? expect.any(String), status });
}

describe("POST /api/user/devices", () => {
  it("registers a device (201 { deviceId, challengeId }) and texts a 6-digit OTP to the user", async () => {
    await confirmedBindingRequest(fresh.sandbox, fresh.accessToken, "Pixel");
    const key = createTestDeviceKey();
    const response = await callApi(fresh.sandbox, "POST", "/api/user/devices", fresh.accessToken, {
      name: "Pixel",
      key: key.keyHex,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ deviceId: uuid, challengeId: uuid });
    const [message] = await fresh.sandbox.test.sms();
    expect(message).toEqual({
      to: demo.mobileNumber,
      text: expect.stringContaining(message?.otp ?? ""),
      otp: expect.stringMatching(/^\d{6}$/),
      sentAt: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(message?.sentAt ?? ""))).toBe(false);
  });

  it("accepts the key in upper case", async () => {
    await confirmedBindingRequest(fresh.sandbox, fresh.accessToken, "Pixel");
    const key = createTestDeviceKey();
    const response = await callApi(fresh.sandbox, "POST", "/api/user/devices", fresh.accessToken, {
      name: "Pixel",
      key: key.keyHex.toUpperCase(),
    });
    expect(response.status).toBe(201);
  });

  // Without a binding request: the body is checked first, so these answer 400/415, not 403.
  it("refuses a malformed key with 400 naming the field, not the value", async () => {
    const response = await callApi(fresh.sandbox, "POST", "/api/user/devices", fresh.accessToken, {
      name: "Pixel",
      key: "04abcdef",
    });
    await expectApiError(response, 400, "Invalid body: field `key` has the wrong format.");
  });

  it("refuses a key that is not on P-256 with 400", async () => {
    const offCurve = `04${"00".repeat(31)}01${"00".repeat(31)}01`;
    const response = await callApi(fresh.sandbox, "POST", "/api/user/devices", fresh.accessToken, {
      name: "Pixel",
      key: offCurve,
    });
    await expectApiError(response, 400, "Invalid body: field `key` is not a point on the P-256 curve.");
    expect(await fresh.sandbox.test.sms()).toEqual([]);
  });

  it("refuses a missing name with 400 naming the field", async () => {
    const response = await callApi(fresh.sandbox, "POST", "/api/user/devices", fresh.accessToken, {
      key: createTestDeviceKey().keyHex,
    });
    await expectApiError(response, 400, "Invalid body: field `name` is missing.");
  });

  it("refuses malformed JSON with 400 and a non-JSON content type with 415", async () => {
    const malformed = await fetch(`${fresh.sandbox.url}/api/user/devices`, {
      method: "POST",
      headers: { Authorization: `Bearer ${fresh.accessToken}`, "Content-Type": "application/json" },
      body: '{"name": "Pixel", "key": ',
    });
    await expectApiError(malformed, 400, "The body is not valid JSON.");
    const form = await fetch(`${fresh.sandbox.url}/api/user/devices`, {
      method: "POST",
      headers: { Authorization: `Bearer ${fresh.accessToken}` },
      body: new URLSearchParams({ name: "Pixel", key: createTestDeviceKey().keyHex }),
    });
    await expectApiError(form, 415);
  });

  it("needs a bearer token (401)", async () => {
    const response = await callApi(fresh.sandbox, "POST", "/api/user/devices", undefined, {
      name: "Pixel",
      key: createTestDeviceKey().keyHex,
    });
    await expectApiError(response, 401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });
});

describe("POST /api/user/devices, rate-limited per user (finding 17)", () => {
  const limited = useFreshSandbox({ deviceRegistrationLimit: 2, deviceRegistrationWindow: 1 });

  const register = (accessToken: string) =>
    callApi(limited.sandbox, "POST", "/api/user/devices", accessToken, {
      name: "Pixel",
      key: createTestDeviceKey().keyHex,
    });
  const texts = async () => (await limited.sandbox.test.sms()).length;

  it("finding 17: refuses registrations (and OTPs) beyond deviceRegistrationLimit per window with 429 and Retry-After", async () => {
    for (let i = 0; i < 2; i++) {
      await confirmedBindingRequest(limited.sandbox, limited.accessToken);
      expect((await register(limited.accessToken)).status).toBe(201);
    }
    await confirmedBindingRequest(limited.sandbox, limited.accessToken);
    const refused = await register(limited.accessToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toEqual({
      message: expect.stringContaining("device registrations"),
      status: 429,
    });
    expect(await texts()).toBe(2); // no OTP for the refused one

    // Another user has a limit of their own.
    const theirs = (await passwordToken(limited.sandbox, other)).access_token;
    await confirmedBindingRequest(limited.sandbox, theirs);
    expect((await register(theirs)).status).toBe(201);

    // Once the window has passed, the binding request the refusal left unspent allows the device.
    await sleep(1100);
    expect((await register(limited.accessToken)).status).toBe(201);
  });

  it("finding 17: has defaults that bound OTP guessing, and checks the options", async () => {
    expect(sandboxDefaults.deviceRegistrationLimit).toBe(10);
    expect(sandboxDefaults.deviceRegistrationWindow).toBe(3600);
    await expect(startSandbox({ deviceRegistrationLimit: 0 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ deviceRegistrationLimit: 1.5 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ deviceRegistrationWindow: 0 })).rejects.toThrow(RangeError);
  });
});
