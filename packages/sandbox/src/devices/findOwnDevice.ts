import { ApiError } from "../http/ApiError";
import type { DeviceRecord, SandboxStore } from "../state/SandboxStore";

/**
 * The device `deviceId` of the user `userId`.
 *
 * @throws {ApiError} 404 for an unknown device and for another user's, alike, so ids of other users'
 *   devices cannot be probed.
 */
export function findOwnDevice(store: SandboxStore, userId: string, deviceId: string): DeviceRecord {
  const device = store.devices.get(deviceId);
  if (device === undefined || device.userId !== userId) throw new ApiError(404, "Device not found.");
  return device;
}
