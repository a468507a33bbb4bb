import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * A request did not finish (answer and body) within the client's `timeout`. The request was aborted,
 * so the connection is closed and the server sees it go away. Code `TIMEOUT`, no `status`.
 *
 * @example
 * const client = new Client({ clientId: "my-client", timeout: 5_000 });
 * try {
 *   await client.auth.tokenManager.refresh();
 * } catch (error) {
 *   if (isKontistAuthError(error, "TIMEOUT")) console.log(error.timeout); // 5000
 * }
 */
export class TimeoutError extends KontistAuthError {
  /** The timeout that passed, in milliseconds. */
  readonly timeout: number;

  /**
   * @param source - what was requested, e.g. `POST /api/oauth/token`, for the message.
   * @param timeout - the timeout in milliseconds.
   */
  constructor(source: string, timeout: number) {
    super("TIMEOUT", `${source} timed out after ${timeout} ms and was aborted`);
    this.timeout = timeout;
  }
}
