import { DeviceBindingError } from "./DeviceBindingError";

/**
 * A device binding was cancelled by the `signal` passed to `client.auth.device.waitForBindingConfirmation`
 * or `bind`. Code `DEVICE_BINDING_CANCELLED`; the signal's `reason` is the `cause`. Polling stopped and any
 * request in flight was aborted. The binding request itself stays open at the API until it lapses.
 *
 * @example
 * const controller = new AbortController();
 * document.getElementById("cancel")?.addEventListener("click", () => controller.abort());
 * const request = await client.auth.device.requestBinding({ name: "My laptop" });
 * try {
 *   await client.auth.device.waitForBindingConfirmation(request.id, { signal: controller.signal });
 * } catch (error) {
 *   if (!isKontistAuthError(error, "DEVICE_BINDING_CANCELLED")) throw error;
 *   console.log("Cancelled: the device is not bound.");
 * }
 */
export class DeviceBindingCancelledError extends DeviceBindingError {
  /**
   * @param how - what was cancelled, e.g. `waitForBindingConfirmation()`, for the message.
   * @param cause - the abort signal's reason.
   */
  constructor(how: string, cause?: unknown) {
    super("DEVICE_BINDING_CANCELLED", `${how} was cancelled by its signal`, { cause });
  }
}
