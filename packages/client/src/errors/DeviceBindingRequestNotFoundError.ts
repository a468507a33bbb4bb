import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol";

/**
 * The API knows no device binding request with this id: `getDeviceBindingRequest` answered `null` (the
 * id is wrong, or belongs to another user). Code `DEVICE_BINDING_REQUEST_NOT_FOUND`. Start over with
 * `client.auth.device.requestBinding()`.
 *
 * @example
 * try {
 *   await client.auth.device.getBindingRequest(id);
 * } catch (error) {
 *   if (isDeviceBindingRequestNotFoundError(error)) await client.auth.device.requestBinding({ name });
 * }
 */
export class DeviceBindingRequestNotFoundError extends KontistAuthError {
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

/**
 * Tells whether `value` is a {@link DeviceBindingRequestNotFoundError} from any copy of the SDK (checks `code`).
 *
 * @example
 * if (isDeviceBindingRequestNotFoundError(error)) startOver();
 */
export function isDeviceBindingRequestNotFoundError(
  value: unknown,
): value is DeviceBindingRequestNotFoundError {
  return isKontistAuthError(value, "DEVICE_BINDING_REQUEST_NOT_FOUND");
}
