import { ApiError } from "../http/ApiError";
import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
import type { DeviceRecord, SandboxStore } from "../state/SandboxStore";

/**
 * The bound device an approval comes from (a push challenge's `PATCH`, `updateDeviceBindingRequest`): the
 * device the bearer token's `cnf.kid` names, which must be a verified device of the user that is still
 * bound. A token without `cnf`, one confirmed without a device (`cnf.kid` is the id of a push challenge
 * approved through `/sandbox/`) and one whose device was deleted approve nothing.
 *
 * @param action - what is being approved, for the message, e.g. `"Answering an MFA challenge"`.
 * @throws {ApiError} 403 when the token is not from such a device.
 * @example
 * import type { SandboxRoute } from "../http/SandboxRoute";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * const approveRoute = (runtime: SandboxRuntime): SandboxRoute => ({
 *   method: "PATCH",
 *   path: "/api/user/mfa/challenges/{challengeId}",
 *   bearer: true,
 *   handler: (c) => {
 *     const action = "Answering an MFA challenge";
 *     const device = findApprovingDevice(runtime.store, c.get("user").id, c.get("accessToken"), action);
 *     return c.json({ approvedBy: device.name });
 *   },
 * });
 */
export function findApprovingDevice(
  store: SandboxStore,
  userId: string,
  claims: AccessTokenClaims,
  action: string,
): DeviceRecord {
  const kid = claims.cnf?.kid;
  const device = kid === undefined ? undefined : store.devices.get(kid);
  if (device === undefined || device.userId !== userId || !device.verified) {
    throw new ApiError(
      403,
      `${action} needs a confirmed token of a bound device (cnf.kid naming a verified device that is still bound).`,
    );
  }
  return device;
}
