import type { RenewalFailedEvent } from "./ClientEvent";

/**
 * What an event tells of a failure: the error's `code` (every SDK error has one; `UNKNOWN` for an error
 * without a string code), its HTTP `status`, and an `OAUTH2_ERROR`'s RFC 6749 §5.2 code (redacted as the
 * error is). Never a message. Read by shape, not `instanceof`, so the event code imports nothing.
 *
 * @example
 * failureFields(new TimeoutError("POST /api/oauth/token", 10_000)); // { code: "TIMEOUT", status: undefined, … }
 */
export function failureFields(error: unknown): Pick<RenewalFailedEvent, "code" | "status" | "oauthError"> {
  const {
    code,
    status,
    error: oauthError,
  } = (error ?? {}) as { code?: unknown; status?: unknown; error?: unknown };
  if (typeof code !== "string") return { code: "UNKNOWN" };
  return {
    code,
    status: typeof status === "number" ? status : undefined,
    oauthError: code === "OAUTH2_ERROR" && typeof oauthError === "string" ? oauthError : undefined,
  };
}
