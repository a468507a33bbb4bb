import {
  type BoundDevice,
  deleteBoundDeviceDataSchema,
  listBoundDevicesDataSchema,
  parseResponse,
} from "@kontist-auth/protocol";
import { MutationRefusedError } from "../errors/MutationRefusedError";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { assertNonEmptyString } from "./assertNonEmptyString";
import { deviceOperationSource, sendDeviceOperation } from "./sendDeviceOperation";

/**
 * Lists the user's bound devices: GraphQL `listBoundDevices`; `client.auth.device.list` documents it.
 *
 * @throws {ResponseValidationError} when the answer is not a list of devices.
 * @throws the errors of {@link sendDeviceOperation}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const devices = await listBoundDevices(api);
 */
export async function listBoundDevices(api: AuthenticatedTransport): Promise<BoundDevice[]> {
  const operation = "listBoundDevices";
  const data = parseResponse(
    listBoundDevicesDataSchema,
    await sendDeviceOperation(api, operation, undefined, undefined),
    deviceOperationSource(operation),
  );
  return data.listBoundDevices;
}

/**
 * Removes a bound device: GraphQL `deleteBoundDevice(deviceId)`; `client.auth.device.remove` documents it.
 *
 * @throws {MutationRefusedError} when the API answers `false`.
 * @throws {TypeError} when `deviceId` is not a non-empty string.
 * @throws {ResponseValidationError} and the errors of {@link sendDeviceOperation}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * await removeBoundDevice(api, "device-id");
 */
export async function removeBoundDevice(api: AuthenticatedTransport, deviceId: string): Promise<void> {
  assertNonEmptyString(deviceId, "remove: deviceId");
  const operation = "deleteBoundDevice";
  const data = parseResponse(
    deleteBoundDeviceDataSchema,
    await sendDeviceOperation(api, operation, { deviceId }, undefined),
    deviceOperationSource(operation),
  );
  if (!data.deleteBoundDevice)
    throw new MutationRefusedError(operation, `remove the bound device ${deviceId}`);
}
