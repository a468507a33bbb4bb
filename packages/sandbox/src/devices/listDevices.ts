import { type Device, paths } from "@kontist-auth/protocol";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/** `GET /api/user/devices`: the bearer's user's verified devices, oldest first, `[{ id, name, createdAt }]`. */
export function listDevicesRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: paths.devices,
    bearer: true,
    handler: (c) => {
      const userId = c.get("user").id;
      const devices: Device[] = [...runtime.store.devices.values()]
        .filter((device) => device.userId === userId && device.verified)
        .map(({ id, name, createdAt }) => ({ id, name, createdAt }));
      return c.json(devices, 200);
    },
  };
}
