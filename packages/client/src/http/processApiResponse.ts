import { parseResponse } from "@kontist-auth/protocol";
import { httpErrorFromResponse } from "./httpErrorFromResponse";
import { parseJsonBody } from "./parseJsonBody";
import type { TransportResponse } from "./Transport";

/** A protocol schema, as {@link parseResponse} takes it. */
type Schema = Parameters<typeof parseResponse>[0];

/**
 * The processing step of every API call but the token endpoint: checks the status, turns an error body
 * (`{ "message", "status" }`) into a typed error, then validates the success body with its protocol schema.
 *
 * @throws {UnauthorizedError} for 401.
 * @throws {HttpError} for any other non-2xx answer.
 * @throws {ResponseValidationError} when a 2xx body is not JSON or does not match `schema` (names the field).
 *
 * @example
 * import { deviceChallengeSchema } from "@kontist-auth/protocol";
 * import type { TransportResponse } from "./Transport";
 * declare const response: TransportResponse;
 * const { id, stringToSign } = processApiResponse(response, deviceChallengeSchema);
 */
export function processApiResponse<S extends Schema>(
  response: TransportResponse,
  schema: S,
): ReturnType<typeof parseResponse<S>> {
  assertSuccess(response);
  return parseResponse(schema, parseJsonBody(response), `${response.source} response`);
}

/**
 * Throws the typed error for a non-2xx answer; returns for a 2xx one.
 *
 * @throws {UnauthorizedError} for 401.
 * @throws {HttpError} for any other non-2xx answer.
 * @example
 * import type { TransportResponse } from "./Transport";
 * declare const response: TransportResponse;
 * assertSuccess(response);
 */
export function assertSuccess(response: TransportResponse): void {
  if (response.status < 200 || response.status >= 300) throw httpErrorFromResponse(response);
}
