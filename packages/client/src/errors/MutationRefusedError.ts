import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * A GraphQL mutation whose answer is a `Boolean!` answered `false`: the API did not do it, without
 * saying why (e.g. `deleteBoundDevice` for a device that is not bound, `updateDeviceBindingRequest` for
 * a request that is unknown or already answered). Code `MUTATION_REFUSED`; `operation` names the mutation.
 *
 * @example
 * try {
 *   await client.auth.device.remove("device-id");
 * } catch (error) {
 *   if (isKontistAuthError(error, "MUTATION_REFUSED")) console.log(error.operation); // "deleteBoundDevice"
 * }
 */
export class MutationRefusedError extends KontistAuthError {
  /** The mutation that answered `false`, e.g. `deleteBoundDevice`. */
  readonly operation: string;

  /**
   * @param operation - the mutation, e.g. `deleteBoundDevice`.
   * @param what - what it was asked to do, for the message, e.g. `remove the device d-1`.
   */
  constructor(operation: string, what: string) {
    super("MUTATION_REFUSED", `${operation} answered false: the API did not ${what}`);
    this.operation = operation;
  }
}
