/**
 * How long `client.auth.device.waitForBindingConfirmation` (and `bind`) wait by default for the user to
 * answer a device binding request, in milliseconds (10 minutes). Generous on purpose: the user has to
 * notice an e-mail, open it and click the link (or reach for their other device), which takes minutes
 * rather than the seconds a push approval on a phone in hand takes.
 */
export const defaultBindingConfirmationTimeout = 600_000;
