import { DeviceBindingError } from "./DeviceBindingError";

/**
 * The API knows no device binding request with this id: `getDeviceBindingRequest` answered `null` (the
 * id is wrong, or belongs to another user). Code `DEVICE_BINDING_REQUEST_NOT_FOUND`. Start over with
 * `client.auth.device.requestBinding()`.
 *
 * @example
 * try {
 *   await client.auth.device.getBindingRequest("request-id");
 * } catch (error) {
 *   if (!isKontistAuthError(error, "DEVICE_BINDING_REQUEST_NOT_FOUND")) throw error;
 *   await client.auth.device.requestBinding({ name: "My laptop" });
 * }
 */
export class DeviceBindingRequestNotFoundError extends DeviceBindingError {
  /** The id that was asked for. */
  readonly bindingRequestId: string;

  /** @param bindingRequestId - the id that was asked for. */
  constructor(bindingRequestId: string) {
    super(
      "DEVICE_BINDING_REQUEST_NOT_FOUND",
      `The API knows no device binding request ${bindingRequestId} (getDeviceBindingRequest answered null)`,
    );
    this.bindingRequestId = bindingRequestId;
  }
}
