/**
 * How often a confirmation is polled by default, in milliseconds: push challenges
 * (`client.auth.push.getConfirmedToken`) and device binding requests
 * (`client.auth.device.waitForBindingConfirmation`). Kontist's SDK polls push challenges every 3 s. Users
 * read it as `clientDefaults.pollInterval`.
 *
 * @example
 * const request = await client.auth.device.requestBinding({ name: "My laptop" });
 * await client.auth.device.waitForBindingConfirmation(request.id, { pollInterval: clientDefaults.pollInterval * 2 });
 */
export const defaultPollInterval = 3_000;
