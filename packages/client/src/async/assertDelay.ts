/** The longest delay timers support (2^31 − 1 ms, about 24.8 days); a longer one would fire at once. */
export const maxDelay = 2_147_483_647;

/**
 * Checks that `value` is a number of milliseconds a timer can wait: positive (or zero, with
 * `allowZero`) and at most {@link maxDelay}.
 *
 * @param name - what is checked, e.g. `waitForBindingConfirmation: pollInterval`, for the message.
 * @throws {TypeError} when it is not such a number (NaN, negative, too long, not a number).
 * @example
 * const pollInterval: unknown = 3_000;
 * assertDelay(pollInterval, "getConfirmedToken: pollInterval"); // now typed as a number
 */
export function assertDelay(value: unknown, name: string, allowZero = false): asserts value is number {
  const inRange = typeof value === "number" && (allowZero ? value >= 0 : value > 0) && value <= maxDelay;
  if (!inRange) {
    const kind = allowZero ? "non-negative" : "positive";
    throw new TypeError(`${name} must be a ${kind} number of milliseconds, at most ${maxDelay}.`);
  }
}
