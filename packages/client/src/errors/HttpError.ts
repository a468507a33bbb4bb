import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * The API answered with an HTTP error status (4xx or 5xx), or the token endpoint answered with a status
 * it should not have. Code `HTTP_ERROR`; a 401 is its subclass {@link UnauthorizedError} (code
 * `UNAUTHORIZED`), so `instanceof HttpError` holds for both while the codes tell them apart.
 *
 * `serverMessage` is the `message` of a `{ "message", "status" }` error body (how the sandbox reports
 * errors outside the token endpoint; Kontist documents no body, so it may be absent), with any secret of
 * the request replaced by `[redacted]`; other bodies (an HTML error page, say) are not kept. Without one,
 * the message names the HTTP status text (`statusText`), as Kontist's SDK does.
 *
 * @example
 * import { createDeviceSignature } from "@kontist-auth/crypto";
 *
 * const signature = await createDeviceSignature(signer, "123456"); // the OTP from the SMS
 * try {
 *   await client.auth.device.verifyDevice("device-id", { challengeId: "challenge-id", signature });
 * } catch (error) {
 *   if (isKontistAuthError(error, "HTTP_ERROR") && error.status === 400) console.log(error.serverMessage);
 * }
 */
export class HttpError extends KontistAuthError {
  /** The HTTP status of the response. */
  declare readonly status: number;
  /** The `message` of a `{ "message", "status" }` error body, when the server sent one. */
  readonly serverMessage: string | undefined;
  /** The HTTP status text (`"Forbidden"`), when the server sent one. */
  readonly statusText: string | undefined;

  /**
   * @param status - the HTTP status of the response.
   * @param source - what was requested, e.g. `POST /api/user/devices`, for the message.
   * @param serverMessage - the server's `message`, already redacted.
   * @param statusText - the HTTP status text, already redacted; named in the message when there is no
   *   `serverMessage`.
   * @param code - `UNAUTHORIZED` for {@link UnauthorizedError}, which names its status text before the
   *   server's message too; leave it out otherwise.
   */
  constructor(
    status: number,
    source: string,
    serverMessage?: string,
    statusText?: string,
    code: "HTTP_ERROR" | "UNAUTHORIZED" = "HTTP_ERROR",
  ) {
    const named = code === "UNAUTHORIZED" || !serverMessage ? statusText : undefined;
    const detail = `${named ? ` ${named}` : ""}${serverMessage ? `: ${serverMessage}` : ""}`;
    super(code, `${source} failed with HTTP ${status}${detail}`, { status });
    this.serverMessage = serverMessage;
    this.statusText = statusText;
  }
}
