import {
  createDeviceBindingRequestDataSchema,
  type DeviceBindingRequest,
  getDeviceBindingRequestDataSchema,
  parseResponse,
  updateDeviceBindingRequestDataSchema,
} from "@kontist-auth/protocol";
import { DeviceBindingRequestNotFoundError } from "../errors/DeviceBindingRequestNotFoundError";
import { MutationRefusedError } from "../errors/MutationRefusedError";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { assertNonEmptyString } from "./assertNonEmptyString";
import { deviceOperationSource, sendDeviceOperation } from "./sendDeviceOperation";

/** Options of `client.auth.device.requestBinding`. */
export interface RequestBindingOptions {
  /** The new device's name, shown to the user in the confirmation e-mail and on their bound devices. */
  name: string;
  /** Kontist's optional `deviceId` argument of `createDeviceBindingRequest`, passed on as it is. */
  deviceId?: string | undefined;
}

/**
 * Asks for a device binding request (GraphQL `createDeviceBindingRequest`), checking the options first;
 * `client.auth.device.requestBinding` documents it.
 *
 * @throws {TypeError} when `name` is not a non-empty string, or `deviceId` is given and is not one.
 * @throws the errors of {@link createBindingRequest}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const request = await requestBinding(api, { name: "My laptop" });
 */
export async function requestBinding(
  api: AuthenticatedTransport,
  options: RequestBindingOptions,
): Promise<DeviceBindingRequest> {
  const { name, deviceId } = options ?? {};
  assertNonEmptyString(name, "requestBinding: name");
  if (deviceId !== undefined) assertNonEmptyString(deviceId, "requestBinding: deviceId");
  return createBindingRequest(api, name, deviceId, undefined);
}

/**
 * Sends GraphQL `createDeviceBindingRequest(deviceName, deviceId?)` with arguments already checked.
 *
 * @returns the new request, not confirmed yet.
 * @throws {ResponseValidationError} when the answer lacks a field of the request.
 * @throws the errors of {@link sendDeviceOperation}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const request = await createBindingRequest(api, "My laptop", undefined, AbortSignal.timeout(10_000));
 */
export async function createBindingRequest(
  api: AuthenticatedTransport,
  name: string,
  deviceId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<DeviceBindingRequest> {
  const operation = "createDeviceBindingRequest";
  const variables = deviceId === undefined ? { deviceName: name } : { deviceName: name, deviceId };
  const data = parseResponse(
    createDeviceBindingRequestDataSchema,
    await sendDeviceOperation(api, operation, variables, signal),
    deviceOperationSource(operation),
  );
  return data.createDeviceBindingRequest;
}

/**
 * Reads a device binding request (GraphQL `getDeviceBindingRequest`), checking `id` first;
 * `client.auth.device.getBindingRequest` documents it.
 *
 * @throws {TypeError} when `id` is not a non-empty string.
 * @throws the errors of {@link readBindingRequest}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const request = await getBindingRequest(api, "request-id");
 */
export async function getBindingRequest(
  api: AuthenticatedTransport,
  id: string,
): Promise<DeviceBindingRequest> {
  assertNonEmptyString(id, "getBindingRequest: id");
  return readBindingRequest(api, id, undefined);
}

/**
 * Sends GraphQL `getDeviceBindingRequest(id)` with an id already checked.
 *
 * @throws {DeviceBindingRequestNotFoundError} when the API answers `null` (an unknown id).
 * @throws {ResponseValidationError} when the answer is not a binding request.
 * @throws the errors of {@link sendDeviceOperation}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const request = await readBindingRequest(api, "request-id", AbortSignal.timeout(10_000));
 */
export async function readBindingRequest(
  api: AuthenticatedTransport,
  id: string,
  signal: AbortSignal | undefined,
): Promise<DeviceBindingRequest> {
  const operation = "getDeviceBindingRequest";
  const data = parseResponse(
    getDeviceBindingRequestDataSchema,
    await sendDeviceOperation(api, operation, { id }, signal),
    deviceOperationSource(operation),
  );
  if (data.getDeviceBindingRequest === null) throw new DeviceBindingRequestNotFoundError(id);
  return data.getDeviceBindingRequest;
}

/**
 * Confirms or rejects a device binding request from a device already bound (GraphQL
 * `updateDeviceBindingRequest`); `client.auth.device.answerBindingRequest` documents it.
 *
 * @throws {MutationRefusedError} when the API answers `false`.
 * @throws {TypeError} when `id` is not a non-empty string or `approve` is not a boolean.
 * @throws {ResponseValidationError} and the errors of {@link sendDeviceOperation}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * await answerBindingRequest(api, "request-id", true);
 */
export async function answerBindingRequest(
  api: AuthenticatedTransport,
  id: string,
  approve: boolean,
): Promise<void> {
  assertNonEmptyString(id, "answerBindingRequest: id");
  if (typeof approve !== "boolean") {
    throw new TypeError("answerBindingRequest: approve must be true (confirm) or false (reject).");
  }
  const operation = "updateDeviceBindingRequest";
  const data = parseResponse(
    updateDeviceBindingRequestDataSchema,
    await sendDeviceOperation(api, operation, { id, isConfirmation: approve }, undefined),
    deviceOperationSource(operation),
  );
  if (!data.updateDeviceBindingRequest) {
    throw new MutationRefusedError(
      operation,
      `${approve ? "confirm" : "reject"} the device binding request ${id}`,
    );
  }
}
