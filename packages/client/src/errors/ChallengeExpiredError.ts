import { ChallengeError } from "./ChallengeError";

/**
 * A push-notification MFA challenge expired before the user answered it: its `expiresAt` passed while
 * it was still pending, or the API said so (a 4xx about an expired or gone challenge, kept as `cause`).
 * Code `CHALLENGE_EXPIRED`. Start a new confirmation.
 *
 * @example
 * try {
 *   await client.auth.push.getConfirmedToken();
 * } catch (error) {
 *   if (isKontistAuthError(error, "CHALLENGE_EXPIRED")) await client.auth.push.getConfirmedToken(); // a new one
 * }
 */
export class ChallengeExpiredError extends ChallengeError {
  /** The challenge's id. */
  readonly challengeId: string;
  /** When the challenge expired, as the API said. */
  readonly expiresAt: Date;

  /**
   * @param challengeId - the challenge's id.
   * @param expiresAt - its `expiresAt`.
   * @param cause - the API's answer that said it expired, if one did.
   */
  constructor(challengeId: string, expiresAt: Date, cause?: unknown) {
    super("CHALLENGE_EXPIRED", `The MFA challenge ${challengeId} expired before it was answered`, {
      cause,
    });
    this.challengeId = challengeId;
    this.expiresAt = expiresAt;
  }
}
