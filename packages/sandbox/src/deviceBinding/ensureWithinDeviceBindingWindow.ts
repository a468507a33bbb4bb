import { ApiError } from "../http/ApiError";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { DeviceRecord } from "../state/SandboxStore";
import { describeDeviceBindingWindow } from "./describeDeviceBindingWindow";

/**
 * Checks that a device created through a device binding request is verified in time: within
 * `deviceBindingWindow` seconds of the request's confirmation (Kontist: "you have then 3 minutes to create
 * and verify the device"). A device created without a request (the older API) has no window.
 *
 * @throws {ApiError} 403 once the window has passed.
 * @example
 * import { findOwnDevice } from "../devices/findOwnDevice";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // POST /api/user/devices/{deviceId}/verify
 * function checkVerification(runtime: SandboxRuntime, userId: string, deviceId: string): void {
 *   const device = findOwnDevice(runtime.store, userId, deviceId);
 *   ensureWithinDeviceBindingWindow(runtime, device); // before checking the OTP signature
 * }
 */
export function ensureWithinDeviceBindingWindow(runtime: SandboxRuntime, device: DeviceRecord): void {
  if (device.bindingRequestId === undefined) return;
  const confirmedAt = runtime.store.deviceBindingRequests.get(device.bindingRequestId)?.confirmedAt;
  const window = runtime.config.deviceBindingWindow;
  if (confirmedAt === undefined || runtime.now() - confirmedAt > window * 1000) {
    throw new ApiError(
      403,
      `The device binding window has passed: a device must be created and verified within ${describeDeviceBindingWindow(window)} of confirming its binding request. Start again with createDeviceBindingRequest.`,
    );
  }
}
