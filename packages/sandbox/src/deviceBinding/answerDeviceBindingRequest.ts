import { ApiError } from "../http/ApiError";
import type { DeviceBindingRequestRecord } from "../state/SandboxStore";

/**
 * Records the user's answer to a device binding request: confirmed (from then on there are
 * `deviceBindingWindow` seconds to create and verify the device) or rejected. A request is answered once.
 *
 * @throws {ApiError} 409 when it was already confirmed or rejected.
 * @example
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import type { DeviceBindingRequestRecord } from "../state/SandboxStore";
 *
 * // The user clicked "Confirm" on the request's page.
 * function confirm(runtime: SandboxRuntime, request: DeviceBindingRequestRecord): void {
 *   answerDeviceBindingRequest(request, true, runtime.now()); // 409 when it was already answered
 * }
 */
export function answerDeviceBindingRequest(
  request: DeviceBindingRequestRecord,
  isConfirmation: boolean,
  now: number,
): void {
  if (request.confirmedAt !== undefined || request.rejectedAt !== undefined) {
    const answer = request.confirmedAt !== undefined ? "confirmed" : "rejected";
    throw new ApiError(409, `This device binding request was already ${answer}; create a new one.`);
  }
  if (isConfirmation) request.confirmedAt = now;
  else request.rejectedAt = now;
}
