/**
 * Checks an argument that must be a non-empty string (an id, a device name).
 *
 * @param name - what is checked, e.g. `requestBinding: name`, for the message.
 * @throws {TypeError} when `value` is not a string, or is empty.
 * @example
 * const id: unknown = "request-id";
 * assertNonEmptyString(id, "getBindingRequest: id"); // now typed as a string
 */
export function assertNonEmptyString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string" || value === "") throw new TypeError(`${name} must be a non-empty string.`);
}
