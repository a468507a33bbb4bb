import { KontistAuthError } from "@kontist-auth/protocol";

/**
 * The request got no HTTP answer: the connection was refused or reset, DNS failed, TLS failed, or the
 * connection broke while the body was read. Code `NETWORK_ERROR`, no `status`. `cause` is the low-level
 * error of `fetch` (never a request or response object, so it holds no header).
 *
 * A network error never discards a stored token: the token manager keeps its refresh token, so the
 * call can simply be repeated.
 *
 * @example
 * try {
 *   await client.auth.tokenManager.refresh();
 * } catch (error) {
 *   if (isKontistAuthError(error, "NETWORK_ERROR")) console.log("No connection: try again later.");
 * }
 */
export class NetworkError extends KontistAuthError {
  /**
   * @param source - what was requested, e.g. `POST /api/oauth/token`, for the message.
   * @param cause - the error `fetch` (or reading the body) failed with.
   */
  constructor(source: string, cause: unknown) {
    super("NETWORK_ERROR", `${source} failed: network error${describeCause(cause)}`, { cause });
  }
}

/** A short reason from a low-level error: its `code` (`ECONNRESET`, …), also one level down. */
function describeCause(cause: unknown): string {
  const code = errorCode(cause) ?? errorCode((cause as { cause?: unknown } | undefined)?.cause);
  return code === undefined ? "" : ` (${code})`;
}

function errorCode(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}
