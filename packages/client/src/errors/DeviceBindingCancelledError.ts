import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol";

/**
 * A device binding was cancelled by the `signal` passed to `client.auth.device.waitForBindingConfirmation`
 * or `bind`. Code `DEVICE_BINDING_CANCELLED`; the signal's `reason` is the `cause`. Polling stopped and any
 * request in flight was aborted. The binding request itself stays open at the API until it lapses.
 *
 * @example
 * const controller = new AbortController();
 * cancelButton.onclick = () => controller.abort();
 * try {
 *   await client.auth.device.waitForBindingConfirmation(request.id, { signal: controller.signal });
 * } catch (error) {
 *   if (isDeviceBindingCancelledError(error)) return;
 * }
 */
export class DeviceBindingCancelledError extends KontistAuthError {
  /**
   * @param how - what was cancelled, e.g. `waitForBindingConfirmation()`, for the message.
   * @param cause - the abort signal's reason.
   */
  constructor(how: string, cause?: unknown) {
    super("DEVICE_BINDING_CANCELLED", `${how} was cancelled by its signal`, { cause });
  }
}

/**
 * Tells whether `value` is a {@link DeviceBindingCancelledError} from any copy of the SDK (checks `code`).
 *
 * @example
 * if (isDeviceBindingCancelledError(error)) return;
 */
export function isDeviceBindingCancelledError(value: unknown): value is DeviceBindingCancelledError {
  return isKontistAuthError(value, "DEVICE_BINDING_CANCELLED");
}
