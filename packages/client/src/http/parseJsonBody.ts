import { ResponseValidationError } from "@kontist-auth/protocol";
import type { TransportResponse } from "./Transport";

/**
 * Parses an answer's body as JSON.
 *
 * @throws {ResponseValidationError} (`field` `""`) when the body is not JSON. The parser's own error is
 *   not kept as `cause`: its message quotes the body, which may hold a token.
 *
 * @example
 * import { deviceChallengeSchema, parseResponse } from "@kontist-auth/protocol";
 * import type { TransportResponse } from "./Transport";
 * declare const response: TransportResponse;
 * parseResponse(deviceChallengeSchema, parseJsonBody(response), `${response.source} response`);
 */
export function parseJsonBody(response: TransportResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    throw new ResponseValidationError(
      `Invalid ${response.source} response: the body (HTTP ${response.status}) is not JSON.`,
      "",
      { status: response.status },
    );
  }
}

/**
 * Parses an answer's body as JSON, or gives `undefined` when it is not JSON (for error bodies). Never throws.
 *
 * @example
 * import { oauth2ErrorSchema } from "@kontist-auth/protocol";
 * import type { TransportResponse } from "./Transport";
 * declare const response: TransportResponse;
 * const error = oauth2ErrorSchema.safeParse(tryParseJsonBody(response));
 */
export function tryParseJsonBody(response: TransportResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}
