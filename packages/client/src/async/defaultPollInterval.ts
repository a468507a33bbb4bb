/**
 * How often a confirmation is polled by default, in milliseconds: push challenges
 * (`client.auth.push.getConfirmedToken`) and device binding requests
 * (`client.auth.device.waitForBindingConfirmation`). Kontist's SDK polls push challenges every 3 s.
 *
 * @example
 * await client.auth.device.waitForBindingConfirmation(id, { pollInterval: defaultPollInterval * 2 });
 */
export const defaultPollInterval = 3_000;
