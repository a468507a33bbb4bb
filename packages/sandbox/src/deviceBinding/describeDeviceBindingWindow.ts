/**
 * The device binding window (seconds) in words for an error message: whole minutes as minutes (Kontist's
 * "3 minutes"), anything else in seconds.
 *
 * @example
 * describeDeviceBindingWindow(180); // "3 minutes"
 * describeDeviceBindingWindow(0.5); // "0.5 seconds"
 */
export function describeDeviceBindingWindow(seconds: number): string {
  if (seconds % 60 === 0) return seconds === 60 ? "1 minute" : `${seconds / 60} minutes`;
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}
