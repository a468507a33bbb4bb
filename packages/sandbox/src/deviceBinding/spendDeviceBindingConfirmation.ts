import { ApiError } from "../http/ApiError";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { DeviceBindingRequestRecord } from "../state/SandboxStore";
import { describeDeviceBindingWindow } from "./describeDeviceBindingWindow";

/**
 * Uses up a device binding confirmation of the user `userId` for the new device `deviceId`: the most
 * recently confirmed request of the user, confirmed within the last `deviceBindingWindow` seconds and not
 * used by another device yet (one confirmed request allows one device). Unconfirmed, rejected and lapsed
 * requests allow none.
 *
 * @returns the id of the request used.
 * @throws {ApiError} 403 when the user has no such request; the message names the missing step.
 * @example
 * import { randomUUID } from "node:crypto";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // POST /api/user/devices, before the device is stored
 * function newDevice(runtime: SandboxRuntime, userId: string) {
 *   const deviceId = randomUUID();
 *   const bindingRequestId = spendDeviceBindingConfirmation(runtime, userId, deviceId);
 *   return { deviceId, bindingRequestId }; // the device's record keeps the request it used up
 * }
 */
export function spendDeviceBindingConfirmation(
  runtime: SandboxRuntime,
  userId: string,
  deviceId: string,
): string {
  const now = runtime.now();
  const windowMs = runtime.config.deviceBindingWindow * 1000;
  let usable: DeviceBindingRequestRecord | undefined;
  for (const request of runtime.store.deviceBindingRequests.values()) {
    const { confirmedAt } = request;
    if (request.userId !== userId || confirmedAt === undefined || request.usedByDeviceId !== undefined) {
      continue;
    }
    if (now - confirmedAt > windowMs) continue;
    if (usable === undefined || confirmedAt >= (usable.confirmedAt ?? 0)) usable = request;
  }
  if (usable === undefined) {
    throw new ApiError(
      403,
      `No confirmed device binding request: call createDeviceBindingRequest and have the user confirm it, then create the device within ${describeDeviceBindingWindow(runtime.config.deviceBindingWindow)} (one confirmed request allows one device).`,
    );
  }
  usable.usedByDeviceId = deviceId;
  return usable.id;
}
