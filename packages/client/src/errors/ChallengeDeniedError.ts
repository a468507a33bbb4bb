import { ChallengeError } from "./ChallengeError";

/**
 * The user denied a push-notification MFA challenge on their bound device (its status became `DENIED`).
 * Code `CHALLENGE_DENIED`. Someone else may be trying to log in: do not retry on your own.
 *
 * @example
 * try {
 *   await client.auth.push.getConfirmedToken();
 * } catch (error) {
 *   if (isKontistAuthError(error, "CHALLENGE_DENIED")) console.log("You denied the login on your phone.");
 * }
 */
export class ChallengeDeniedError extends ChallengeError {
  /** The challenge's id. */
  readonly challengeId: string;

  /** @param challengeId - the challenge's id. */
  constructor(challengeId: string) {
    super("CHALLENGE_DENIED", `The MFA challenge ${challengeId} was denied on the bound device`);
    this.challengeId = challengeId;
  }
}
