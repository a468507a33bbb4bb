import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol";

/** The codes of the {@link ChallengeError} family. */
export type ChallengeErrorCode = "CHALLENGE_EXPIRED" | "CHALLENGE_DENIED" | "CHALLENGE_CANCELLED";

/**
 * A push-notification MFA confirmation (`client.auth.push.getConfirmedToken`) ended without a confirmed
 * token because of its challenge: the parent of {@link ChallengeExpiredError} (`CHALLENGE_EXPIRED`),
 * {@link ChallengeDeniedError} (`CHALLENGE_DENIED`) and {@link ChallengeCancelledError}
 * (`CHALLENGE_CANCELLED`). Never thrown itself; each subclass keeps its own code, so switch on `code` (or
 * `isKontistAuthError(error, code)`) for one of them and use `instanceof ChallengeError` for any.
 *
 * @example
 * try {
 *   await client.auth.push.getConfirmedToken();
 * } catch (error) {
 *   if (!(error instanceof ChallengeError)) throw error; // a failed request: its own typed error
 *   console.log(error.code === "CHALLENGE_DENIED" ? "Login denied." : "Not confirmed.");
 * }
 */
export abstract class ChallengeError extends KontistAuthError {
  declare readonly code: ChallengeErrorCode;

  /**
   * @param code - the subclass's code.
   * @param message - what happened, for the message.
   * @param options - the cause, when there is one.
   */
  constructor(code: ChallengeErrorCode, message: string, options?: KontistAuthErrorOptions) {
    super(code, message, options);
  }
}
