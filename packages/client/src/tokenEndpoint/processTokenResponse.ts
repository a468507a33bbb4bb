import {
  oauth2ErrorSchema,
  parseResponse,
  ResponseValidationError,
  type TokenResponse,
  tokenResponseSchema,
} from "@kontist-auth/protocol";
import { OAuth2Error } from "../errors/OAuth2Error";
import { httpErrorFromResponse } from "../http/httpErrorFromResponse";
import { parseJsonBody, tryParseJsonBody } from "../http/parseJsonBody";
import { redactSecrets } from "../http/redactSecrets";
import type { TransportResponse } from "../http/Transport";

/** The longest `expires_in` the client accepts: ten years (of 365.25 days), in seconds. */
export const maxExpiresIn = 315_576_000;

/**
 * The processing step of `POST /api/oauth/token`: checks the status, turns an error body into a typed
 * error, then validates the success body (RFC 6749 §5.1, §5.2). `expires_in`, when present, must be a
 * number of seconds from 1 to {@link maxExpiresIn} (ten years): a larger one makes no valid date (every
 * store write would fail), and one below a second would make every call renew the token.
 *
 * @throws {OAuth2Error} for a non-2xx answer with an OAuth2 error body (RFC 6749 §5.2), usually 400 or 401.
 * @throws {UnauthorizedError} for a 401 without one.
 * @throws {HttpError} for any other non-2xx answer.
 * @throws {ResponseValidationError} when a 2xx body is not JSON or not a token response (names the field),
 *   or its `expires_in` is out of range (field `expires_in`).
 *
 * @example
 * import { paths } from "@kontist-auth/protocol";
 * import { Transport } from "../http/Transport";
 *
 * const transport = new Transport({ baseUrl: clientDefaults.baseUrl, timeout: clientDefaults.timeout });
 * const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt-1", client_id: "c" });
 * const body = processTokenResponse(await transport.send({ method: "POST", path: paths.token, form }));
 * body.access_token;
 */
export function processTokenResponse(response: TransportResponse): TokenResponse {
  if (response.status >= 200 && response.status < 300) {
    const source = `${response.source} response`;
    const body = parseResponse(tokenResponseSchema, parseJsonBody(response), source);
    const expiresIn = body.expires_in;
    if (expiresIn !== undefined && !(expiresIn >= 1 && expiresIn <= maxExpiresIn)) {
      throw new ResponseValidationError(
        `Invalid ${source}: field \`expires_in\` must be from 1 to ${maxExpiresIn} seconds (ten years).`,
        "expires_in",
      );
    }
    return body;
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
