import { KontistAuthError, type KontistAuthErrorOptions } from "./KontistAuthError";

/**
 * A response (or request body, on the server side) did not match its schema. `field` is the dotted path
 * of the first offending field (`""` for the whole body); the message names it and what was expected,
 * never the value that was received.
 */
export class ResponseValidationError extends KontistAuthError {
  /** Dotted path of the first field that failed, e.g. `access_token` or `0.createdAt`. */
  readonly field: string;

  constructor(message: string, field: string, options: KontistAuthErrorOptions = {}) {
    super("INVALID_RESPONSE", message, options);
    this.field = field;
  }
}
