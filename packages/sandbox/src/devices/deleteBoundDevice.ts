import type { SandboxStore } from "../state/SandboxStore";
import { findOwnDevice } from "./findOwnDevice";

/**
 * Removes the device `deviceId` of the user `userId` (GraphQL `deleteBoundDevice`) with its open
 * challenges, and revokes the refresh tokens it confirmed (access tokens already issued stay valid until
 * they expire, but can no longer answer `updateDeviceBindingRequest`).
 *
 * @throws {ApiError} 404 for an unknown or foreign device (see {@link findOwnDevice}).
 * @example
 * import type { GraphQLContext } from "../graphql/GraphQLContext";
 * import { requireUser } from "../graphql/requireUser";
 *
 * // GraphQL `deleteBoundDevice(deviceId)`
 * const deleteDevice = ({ deviceId }: { deviceId: string }, context: GraphQLContext) => {
 *   deleteBoundDevice(context.runtime.store, requireUser(context).user.id, deviceId);
 *   return true;
 * };
 */
export function deleteBoundDevice(store: SandboxStore, userId: string, deviceId: string): void {
  const device = findOwnDevice(store, userId, deviceId);
  store.devices.delete(device.id);
  for (const challenges of [store.deviceVerifications, store.deviceChallenges]) {
    for (const [id, challenge] of challenges) if (challenge.deviceId === device.id) challenges.delete(id);
  }
  for (const [hash, record] of store.refreshTokens) {
    if (record.deviceId === device.id) store.refreshTokens.delete(hash);
  }
}
