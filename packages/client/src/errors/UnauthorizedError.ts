import { isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol";

/**
 * The API answered 401 Unauthorized outside an OAuth2 error body: the access token is missing, expired,
 * revoked or not accepted for this call. Code `UNAUTHORIZED`, `status` 401. Get a new token (for example
 * with `client.auth.tokenManager.refresh()`) and try again.
 *
 * @example
 * try {
 *   await client.auth.device.createDeviceChallenge(deviceId);
 * } catch (error) {
 *   if (isUnauthorizedError(error)) await client.auth.tokenManager.refresh();
 * }
 */
export class UnauthorizedError extends KontistAuthError {
  /** Always 401. */
  declare readonly status: number;
  /** The `message` of a `{ "message", "status" }` error body, when the server sent one (redacted). */
  readonly serverMessage: string | undefined;

  /**
   * @param source - what was requested, e.g. `POST /api/user/devices`, for the message.
   * @param serverMessage - the server's `message`, already redacted.
   */
  constructor(source: string, serverMessage?: string) {
    super(
      "UNAUTHORIZED",
      `${source} failed with HTTP 401 Unauthorized${serverMessage ? `: ${serverMessage}` : ""}`,
      {
        status: 401,
      },
    );
    this.serverMessage = serverMessage;
  }
}

/**
 * Tells whether `value` is an {@link UnauthorizedError} from any copy of the SDK (checks `code`).
 *
 * @example
 * if (isUnauthorizedError(error)) redirectToLogin();
 */
export function isUnauthorizedError(value: unknown): value is UnauthorizedError {
  return isKontistAuthError(value, "UNAUTHORIZED");
}
