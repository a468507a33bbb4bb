import { HttpError } from "./HttpError";

/**
 * The API answered 401 Unauthorized outside an OAuth2 error body: the access token is missing, expired,
 * revoked or not accepted for this call. Code `UNAUTHORIZED`, `status` 401. An {@link HttpError} (its
 * `statusText` is `Unauthorized`, `serverMessage` the server's message), with its own code. Get a new
 * token (for example with `client.auth.tokenManager.refresh()`) and try again.
 *
 * @example
 * try {
 *   await client.auth.device.createDeviceChallenge("device-id");
 * } catch (error) {
 *   if (isKontistAuthError(error, "UNAUTHORIZED")) await client.auth.tokenManager.refresh();
 * }
 */
export class UnauthorizedError extends HttpError {
  /**
   * @param source - what was requested, e.g. `POST /api/user/devices`, for the message.
   * @param serverMessage - the server's `message`, already redacted.
   */
  constructor(source: string, serverMessage?: string) {
    super(401, source, serverMessage, "Unauthorized", "UNAUTHORIZED");
  }
}
