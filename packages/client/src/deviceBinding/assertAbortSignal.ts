/**
 * Checks an optional `signal` option. Duck-typed: a signal from another realm (an iframe, a test
 * environment) is an `AbortSignal` too.
 *
 * @param name - what is checked, e.g. `bind: signal`, for the message.
 * @throws {TypeError} when `value` is given and is not an `AbortSignal`.
 * @example
 * const signal: unknown = AbortSignal.timeout(10_000);
 * assertAbortSignal(signal, "waitForBindingConfirmation: signal"); // now typed as AbortSignal | undefined
 */
export function assertAbortSignal(value: unknown, name: string): asserts value is AbortSignal | undefined {
  const signal = value as Partial<AbortSignal> | null | undefined;
  if (
    value !== undefined &&
    (typeof signal?.aborted !== "boolean" || typeof signal.addEventListener !== "function")
  ) {
    throw new TypeError(`${name} must be an AbortSignal.`);
  }
}
