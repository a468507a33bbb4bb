import type { BoundDevice } from "@kontist-auth/protocol";
import type { SandboxStore } from "../state/SandboxStore";

/**
 * The bound devices of the user `userId` (GraphQL `listBoundDevices`): their verified devices, oldest
 * first, as Kontist's `BoundDevice { id, name }`.
 *
 * @example
 * listBoundDevices(store, user.id); // [{ id: "4e31…", name: "Pixel" }]
 */
export function listBoundDevices(store: SandboxStore, userId: string): BoundDevice[] {
  return [...store.devices.values()]
    .filter((device) => device.userId === userId && device.verified)
    .map((device) => ({ id: device.id, name: device.name }));
}
