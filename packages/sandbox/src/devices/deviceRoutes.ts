import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { createDeviceRoute } from "./createDevice";
import { createDeviceChallengeRoute } from "./createDeviceChallenge";
import { deleteDeviceRoute } from "./deleteDevice";
import { listDevicesRoute } from "./listDevices";
import { verifyDeviceRoute } from "./verifyDevice";
import { verifyDeviceChallengeRoute } from "./verifyDeviceChallenge";

/** The device-binding endpoints (`/api/user/devices…`), all behind a bearer token. */
export function deviceRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [
    createDeviceRoute(runtime),
    listDevicesRoute(runtime),
    deleteDeviceRoute(runtime),
    verifyDeviceRoute(runtime),
    createDeviceChallengeRoute(runtime),
    verifyDeviceChallengeRoute(runtime),
  ];
}
