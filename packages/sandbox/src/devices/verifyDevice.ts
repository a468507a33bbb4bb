import { paths, verifyDeviceRequestSchema } from "@kontist-auth/protocol";
import { ensureWithinDeviceBindingWindow } from "../deviceBinding/ensureWithinDeviceBindingWindow";
import { ApiError } from "../http/ApiError";
import { readJsonBody } from "../http/readJsonBody";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnDevice } from "./findOwnDevice";
import { redeemSignatureChallenge } from "./redeemSignatureChallenge";

/**
 * `POST /api/user/devices/{deviceId}/verify` `{ challengeId, signature }`: verifies the device when
 * `signature` is the device key's DER signature of the SMS OTP. Answers 204; 404 for an unknown or foreign
 * device or challenge; 403 for a device created through a device binding request once
 * `deviceBindingWindow` seconds have passed since its confirmation (see
 * {@link ensureWithinDeviceBindingWindow}); 400/409/410 as {@link redeemSignatureChallenge}.
 */
export function verifyDeviceRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: routePattern(paths.verifyDevice, "deviceId"),
    bearer: true,
    handler: async (c) => {
      const { challengeId, signature } = await readJsonBody(c, verifyDeviceRequestSchema);
      const user = c.get("user");
      const device = findOwnDevice(runtime.store, user.id, c.req.param("deviceId") ?? "");
      const verification = runtime.store.deviceVerifications.get(challengeId);
      if (
        verification === undefined ||
        verification.deviceId !== device.id ||
        verification.userId !== user.id
      ) {
        throw new ApiError(404, "Challenge not found.");
      }
      ensureWithinDeviceBindingWindow(runtime, device);
      redeemSignatureChallenge(verification, device, signature, runtime.now());
      device.verified = true;
      return c.body(null, 204);
    },
  };
}
