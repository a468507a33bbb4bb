import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { createDeviceRoute } from "./createDevice";
import { createDeviceChallengeRoute } from "./createDeviceChallenge";
import { verifyDeviceRoute } from "./verifyDevice";
import { verifyDeviceChallengeRoute } from "./verifyDeviceChallenge";

/**
 * The device-binding endpoints (`/api/user/devices…`), all behind a bearer token. Kontist documents no
 * REST list or delete of devices: those are GraphQL's `listBoundDevices` and `deleteBoundDevice`.
 */
export function deviceRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [
    createDeviceRoute(runtime),
    verifyDeviceRoute(runtime),
    createDeviceChallengeRoute(runtime),
    verifyDeviceChallengeRoute(runtime),
  ];
}
