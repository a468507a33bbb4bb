import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * An authorization answer carried another `state` than the client's (RFC 6749 §10.12): it answers a
 * request this client did not make, so it may be a cross-site request forgery. Code `STATE_MISMATCH`;
 * no code was exchanged. Neither state is quoted in the message.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.fetchToken(location.href);
 * } catch (error) {
 *   if (isKontistAuthError(error, "STATE_MISMATCH")) location.assign(await client.auth.tokenManager.getAuthUri());
 * }
 */
export class StateMismatchError extends KontistAuthError {
  /** @param source - where the answer came from, e.g. `the authorization callback`. */
  constructor(source: string) {
    super(
      "STATE_MISMATCH",
      `${source} carries a state that does not match the client's; it was not exchanged for a token`,
    );
  }
}
