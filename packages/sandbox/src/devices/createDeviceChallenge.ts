import { randomUUID } from "node:crypto";
import { type DeviceChallenge, paths } from "@kontist-auth/protocol";
import { ApiError } from "../http/ApiError";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import { randomToken } from "../security/randomToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnDevice } from "./findOwnDevice";

/**
 * `POST /api/user/devices/{deviceId}/challenges` (no body): a challenge for a verified device of the
 * bearer's user. Answers 201 `{ id, stringToSign }`; 404 for an unknown or foreign device; 409 for a
 * device not verified yet.
 */
export function createDeviceChallengeRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: routePattern(paths.deviceChallenges, "deviceId"),
    bearer: true,
    handler: (c) => {
      const user = c.get("user");
      const device = findOwnDevice(runtime.store, user.id, c.req.param("deviceId") ?? "");
      if (!device.verified) throw new ApiError(409, "The device is not verified yet.");
      const id = randomUUID();
      const stringToSign = randomToken();
      runtime.store.deviceChallenges.set(id, {
        id,
        deviceId: device.id,
        userId: user.id,
        message: stringToSign,
        expiresAt: runtime.now() + runtime.config.challengeTtl * 1000,
        attemptsLeft: runtime.config.otpAttempts,
        used: false,
      });
      const body: DeviceChallenge = { id, stringToSign };
      return c.json(body, 201);
    },
  };
}
