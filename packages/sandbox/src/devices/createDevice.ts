import { randomUUID } from "node:crypto";
import { parseDeviceKeyHex } from "@kontist-auth/crypto";
import { type CreateDeviceResponse, createDeviceRequestSchema, paths } from "@kontist-auth/protocol";
import { spendDeviceBindingConfirmation } from "../deviceBinding/spendDeviceBindingConfirmation";
import { ApiError } from "../http/ApiError";
import { readJsonBody } from "../http/readJsonBody";
import type { SandboxRoute } from "../http/SandboxRoute";
import { randomOtp } from "../security/randomOtp";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { ensureDeviceRegistrationAllowed, recordDeviceRegistration } from "./deviceRegistrationLimit";

/**
 * `POST /api/user/devices` `{ name, key }`: registers an unverified device for the bearer's user and
 * "sends" an SMS with a 6-digit OTP to the user's mobile number (see `GET /sandbox/sms`). Answers 201
 * `{ deviceId, challengeId }`; 400 for a body that fails its schema or a key that is not a P-256 point.
 * With `requireDeviceBindingRequest` (the default) it also needs a device binding request the user
 * confirmed within `deviceBindingWindow` seconds, which the device uses up; 403 without one (see
 * {@link spendDeviceBindingConfirmation}). A user registers at most `deviceRegistrationLimit` devices per
 * `deviceRegistrationWindow` seconds: 429 with `Retry-After` beyond that, before the binding request is
 * spent or an SMS sent (see {@link ensureDeviceRegistrationAllowed}).
 */
export function createDeviceRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: paths.devices,
    bearer: true,
    handler: async (c) => {
      const { name, key } = await readJsonBody(c, createDeviceRequestSchema);
      try {
        parseDeviceKeyHex(key);
      } catch {
        throw new ApiError(400, "Invalid body: field `key` is not a point on the P-256 curve.");
      }
      const { store, config } = runtime;
      const user = c.get("user");
      const now = runtime.now();
      // Before the binding confirmation is spent: a refused registration uses up nothing.
      ensureDeviceRegistrationAllowed(runtime, user.id);
      const deviceId = randomUUID();
      const bindingRequestId = config.requireDeviceBindingRequest
        ? spendDeviceBindingConfirmation(runtime, user.id, deviceId)
        : undefined;
      const challengeId = randomUUID();
      const otp = randomOtp();
      store.devices.set(deviceId, {
        id: deviceId,
        userId: user.id,
        name,
        keyHex: key.toLowerCase(),
        createdAt: new Date(now).toISOString(),
        verified: false,
        bindingRequestId,
      });
      store.deviceVerifications.set(challengeId, {
        id: challengeId,
        deviceId,
        userId: user.id,
        message: otp,
        expiresAt: now + config.otpTtl * 1000,
        attemptsLeft: config.otpAttempts,
        used: false,
      });
      store.sms.push({
        to: user.mobileNumber,
        text: `Your Kontist verification code is ${otp}. Sign it with the device "${name}".`,
        otp,
        sentAt: new Date(now).toISOString(),
      });
      recordDeviceRegistration(runtime, user.id);
      const body: CreateDeviceResponse = { deviceId, challengeId };
      return c.json(body, 201);
    },
  };
}
