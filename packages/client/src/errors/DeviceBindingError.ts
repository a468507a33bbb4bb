import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol";

/** The codes of the {@link DeviceBindingError} family. */
export type DeviceBindingErrorCode =
  | "DEVICE_BINDING_REJECTED"
  | "DEVICE_BINDING_CANCELLED"
  | "DEVICE_BINDING_REQUEST_NOT_FOUND";

/**
 * A device binding (`client.auth.device.bind`, `waitForBindingConfirmation`, `getBindingRequest`) did not
 * go on because of its binding request: the parent of {@link DeviceBindingRejectedError}
 * (`DEVICE_BINDING_REJECTED`), {@link DeviceBindingCancelledError} (`DEVICE_BINDING_CANCELLED`) and
 * {@link DeviceBindingRequestNotFoundError} (`DEVICE_BINDING_REQUEST_NOT_FOUND`). Never thrown itself;
 * each subclass keeps its own code, so switch on `code` (or `isKontistAuthError(error, code)`) for one of
 * them and use `instanceof DeviceBindingError` for any.
 *
 * @example
 * try {
 *   await client.auth.device.bind({ signer, name: "My laptop", otp: async () => prompt("The code we sent you by SMS") ?? "" });
 * } catch (error) {
 *   if (!(error instanceof DeviceBindingError)) throw error; // a failed request: its own typed error
 *   console.log(error.code === "DEVICE_BINDING_REJECTED" ? "Binding rejected." : "Not bound.");
 * }
 */
export abstract class DeviceBindingError extends KontistAuthError {
  declare readonly code: DeviceBindingErrorCode;

  /**
   * @param code - the subclass's code.
   * @param message - what happened, for the message.
   * @param options - the cause, when there is one.
   */
  constructor(code: DeviceBindingErrorCode, message: string, options?: KontistAuthErrorOptions) {
    super(code, message, options);
  }
}
