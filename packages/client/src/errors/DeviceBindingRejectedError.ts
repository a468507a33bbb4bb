import { DeviceBindingError } from "./DeviceBindingError";

/**
 * The user rejected a device binding request (in the e-mail, or on an already bound device): its
 * `rejectedAt` is set. Code `DEVICE_BINDING_REJECTED`. Someone else may be trying to bind a device to the
 * account: do not ask again on your own.
 *
 * @example
 * try {
 *   await client.auth.device.bind({ signer, name: "My laptop", otp: async () => prompt("The code we sent you by SMS") ?? "" });
 * } catch (error) {
 *   if (isKontistAuthError(error, "DEVICE_BINDING_REJECTED")) console.log("The binding was rejected.");
 * }
 */
export class DeviceBindingRejectedError extends DeviceBindingError {
  /** The binding request's id. */
  readonly bindingRequestId: string;
  /** When the user rejected it (its `rejectedAt`), when that is a valid date. */
  readonly rejectedAt: Date | undefined;

  /**
   * @param bindingRequestId - the binding request's id.
   * @param rejectedAt - its `rejectedAt` (ISO 8601).
   */
  constructor(bindingRequestId: string, rejectedAt?: string | null) {
    super(
      "DEVICE_BINDING_REJECTED",
      `The device binding request ${bindingRequestId} was rejected by the user`,
    );
    this.bindingRequestId = bindingRequestId;
    const date = typeof rejectedAt === "string" ? new Date(rejectedAt) : undefined;
    this.rejectedAt = date !== undefined && !Number.isNaN(date.getTime()) ? date : undefined;
  }
}
