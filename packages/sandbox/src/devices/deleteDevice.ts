import { paths } from "@kontist-auth/protocol";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnDevice } from "./findOwnDevice";

/**
 * `DELETE /api/user/devices/{deviceId}`: removes a device of the bearer's user with its open challenges
 * and revokes the refresh tokens it confirmed (access tokens already issued stay valid until they
 * expire). Answers 204; 404 for an unknown or foreign device.
 */
export function deleteDeviceRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "DELETE",
    path: routePattern(paths.device, "deviceId"),
    bearer: true,
    handler: (c) => {
      const { store } = runtime;
      const device = findOwnDevice(store, c.get("user").id, c.req.param("deviceId") ?? "");
      store.devices.delete(device.id);
      for (const challenges of [store.deviceVerifications, store.deviceChallenges]) {
        for (const [id, challenge] of challenges) if (challenge.deviceId === device.id) challenges.delete(id);
      }
      for (const [hash, record] of store.refreshTokens) {
        if (record.deviceId === device.id) store.refreshTokens.delete(hash);
      }
      return c.body(null, 204);
    },
  };
}
