import type { DeviceBindingRequestRecord, SandboxStore } from "../state/SandboxStore";

/**
 * The device binding request `requestId` of the user `userId`; without an id, the user's newest request.
 *
 * @returns the request, or `undefined` for an unknown id and for another user's request alike (so ids of
 *   other users' requests cannot be probed), or when the user has none.
 * @example
 * import type { GraphQLContext } from "../graphql/GraphQLContext";
 * import { requireUser } from "../graphql/requireUser";
 * import { deviceBindingRequestView } from "./deviceBindingRequestView";
 *
 * // GraphQL `getDeviceBindingRequest(id)`: null for an unknown or foreign id; without an id, the newest.
 * const getDeviceBindingRequest = ({ id }: { id?: string | null }, context: GraphQLContext) => {
 *   const request = findOwnDeviceBindingRequest(context.runtime.store, requireUser(context).user.id, id);
 *   return request === undefined ? null : deviceBindingRequestView(request);
 * };
 */
export function findOwnDeviceBindingRequest(
  store: SandboxStore,
  userId: string,
  requestId?: string | null,
): DeviceBindingRequestRecord | undefined {
  if (requestId === undefined || requestId === null) {
    let newest: DeviceBindingRequestRecord | undefined;
    for (const request of store.deviceBindingRequests.values()) {
      if (request.userId === userId) newest = request;
    }
    return newest;
  }
  const request = store.deviceBindingRequests.get(requestId);
  return request?.userId === userId ? request : undefined;
}
