import type { BoundDevice } from "@kontist-auth/protocol";
import type { SandboxStore } from "../state/SandboxStore";

/**
 * The bound devices of the user `userId` (GraphQL `listBoundDevices`): their verified devices, oldest
 * first, as Kontist's `BoundDevice { id, name }`.
 *
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * const userId = "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01";
 * listBoundDevices(runtime.store, userId); // []; once a device is verified: [{ id, name: "Pixel" }]
 */
export function listBoundDevices(store: SandboxStore, userId: string): BoundDevice[] {
  return [...store.devices.values()]
    .filter((device) => device.userId === userId && device.verified)
    .map((device) => ({ id: device.id, name: device.name }));
}
