import {
  oauth2ErrorSchema,
  parseResponse,
  type TokenResponse,
  tokenResponseSchema,
} from "@kontist-auth/protocol";
import { OAuth2Error } from "../errors/OAuth2Error";
import { httpErrorFromResponse } from "./httpErrorFromResponse";
import { parseJsonBody, tryParseJsonBody } from "./parseJsonBody";
import { redactSecrets } from "./redactSecrets";
import type { TransportResponse } from "./Transport";

/**
 * The processing step of `POST /api/oauth/token`: checks the status, turns an error body into a typed
 * error, then validates the success body (RFC 6749 §5.1, §5.2).
 *
 * @throws {OAuth2Error} for a non-2xx answer with an OAuth2 error body (RFC 6749 §5.2), usually 400 or 401.
 * @throws {UnauthorizedError} for a 401 without one.
 * @throws {HttpError} for any other non-2xx answer.
 * @throws {ResponseValidationError} when a 2xx body is not JSON or not a token response (names the field).
 *
 * @example
 * const body = processTokenResponse(await transport.send({ method: "POST", path: paths.token, form }));
 * body.access_token;
 */
export function processTokenResponse(response: TransportResponse): TokenResponse {
  if (response.status >= 200 && response.status < 300) {
    return parseResponse(tokenResponseSchema, parseJsonBody(response), `${response.source} response`);
  }
  const error = oauth2ErrorSchema.safeParse(tryParseJsonBody(response));
  if (error.success) {
    const description = error.data.error_description;
    throw new OAuth2Error(
      {
        error: redactSecrets(error.data.error, response.secrets),
        error_description:
          description === undefined ? undefined : redactSecrets(description, response.secrets),
        error_uri: error.data.error_uri,
      },
      response.status,
      response.source,
    );
  }
  throw httpErrorFromResponse(response);
}
