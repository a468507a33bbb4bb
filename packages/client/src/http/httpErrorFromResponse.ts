import { apiErrorSchema } from "@kontist-auth/protocol";
import { HttpError } from "../errors/HttpError";
import { UnauthorizedError } from "../errors/UnauthorizedError";
import { tryParseJsonBody } from "./parseJsonBody";
import { redactSecrets } from "./redactSecrets";
import type { TransportResponse } from "./Transport";

/** Longest server message an error keeps. */
const maxServerMessageLength = 500;

/**
 * The error for a non-2xx answer outside an OAuth2 error body: {@link UnauthorizedError} for 401,
 * {@link HttpError} otherwise. The `message` of a `{ "message", "status" }` body (the sandbox's form; Kontist
 * documents no REST error body) is kept, redacted and shortened; any other body (an HTML error page, say)
 * is dropped, and the message falls back to the status text, as Kontist's SDK shows errors.
 *
 * @example
 * import type { TransportResponse } from "./Transport";
 * declare const response: TransportResponse;
 * if (response.status >= 400) throw httpErrorFromResponse(response);
 */
export function httpErrorFromResponse(response: TransportResponse): HttpError | UnauthorizedError {
  const body = apiErrorSchema.safeParse(tryParseJsonBody(response));
  const serverMessage =
    body.success && body.data.message !== ""
      ? redactSecrets(body.data.message, response.secrets).slice(0, maxServerMessageLength)
      : undefined;
  const statusText = response.statusText
    ? redactSecrets(response.statusText, response.secrets).slice(0, maxServerMessageLength)
    : undefined;
  return response.status === 401
    ? new UnauthorizedError(response.source, serverMessage)
    : new HttpError(response.status, response.source, serverMessage, statusText);
}
