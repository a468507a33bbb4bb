import { KontistAuthError } from "@kontist-auth/protocol";

/** Longest close reason kept in `message` (a close frame carries at most 123 bytes anyway). */
const maxReasonLength = 123;

/**
 * The server closed the GraphQL WebSocket (the one subscriptions share) and the subscription cannot go
 * on: the connection was refused or its token no longer accepted (4403 Forbidden, after the one renewal
 * and reconnection), a protocol error (4400, 4406, 4409, …), or a close the client gave up reconnecting
 * after. Code `WEBSOCKET_CLOSED`. `closeCode` is the WebSocket close code (RFC 6455 §7.4; graphql-ws's
 * 4xxx codes mirror HTTP statuses), `reason` the server's close reason (any secret of the connection
 * redacted); `status` is the HTTP status a 4400–4599 code stands for (403 for 4403), else `undefined`.
 * A connection that broke without a close frame is a `NetworkError` instead.
 *
 * @example
 * client.graphQL.subscribe("subscription { newTransaction { id amount } }", {
 *   next: (data) => console.log(data),
 *   error: (error) => {
 *     if (isKontistAuthError(error, "WEBSOCKET_CLOSED") && error.status === 403) console.log("Log in again.");
 *   },
 * });
 */
export class WebSocketClosedError extends KontistAuthError {
  /** The WebSocket close code, e.g. `4403`. */
  readonly closeCode: number;
  /** The close reason the server gave (may be empty), with the connection's secrets redacted. */
  readonly reason: string;

  /**
   * @param source - the connection, e.g. `WebSocket /api/graphql`, for the message.
   * @param closeCode - the close code.
   * @param reason - the close reason, already redacted.
   */
  constructor(source: string, closeCode: number, reason: string) {
    const shown = reason.slice(0, maxReasonLength);
    const status = closeCode >= 4400 && closeCode <= 4599 ? closeCode - 4000 : undefined;
    super("WEBSOCKET_CLOSED", `${source} was closed with ${closeCode}${shown === "" ? "" : `: ${shown}`}`, {
      ...(status === undefined ? {} : { status }),
    });
    this.closeCode = closeCode;
    this.reason = shown;
  }

  /** A plain, log-safe representation: the base's fields, `closeCode` and `reason`. */
  override toJSON(): ReturnType<KontistAuthError["toJSON"]> & { closeCode: number; reason: string } {
    return { ...super.toJSON(), closeCode: this.closeCode, reason: this.reason };
  }
}
