import { ChallengeError } from "./ChallengeError";

/**
 * A push-notification MFA confirmation was cancelled: by `client.auth.push.cancelConfirmation()` or by
 * the `signal` passed to `getConfirmedToken`. Code `CHALLENGE_CANCELLED`. Its polling stopped and any
 * request it had in flight was aborted. With a signal, the signal's `reason` is the `cause`.
 *
 * @example
 * const controller = new AbortController();
 * document.getElementById("cancel")?.addEventListener("click", () => controller.abort());
 * try {
 *   await client.auth.push.getConfirmedToken({ signal: controller.signal });
 * } catch (error) {
 *   if (!isKontistAuthError(error, "CHALLENGE_CANCELLED")) throw error;
 *   console.log("Cancelled: still logged in without MFA.");
 * }
 */
export class ChallengeCancelledError extends ChallengeError {
  /**
   * @param how - what cancelled it, e.g. `cancelConfirmation()`, for the message.
   * @param cause - the abort signal's reason, when a signal cancelled it.
   */
  constructor(how: string, cause?: unknown) {
    super("CHALLENGE_CANCELLED", `The MFA confirmation was cancelled by ${how}`, { cause });
  }
}
