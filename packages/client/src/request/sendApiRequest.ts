import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { parseJsonBody } from "../http/parseJsonBody";
import { assertSuccess } from "../http/processApiResponse";
import type { TransportRequest } from "../http/Transport";
import type { ResponseSchema } from "./ResponseSchema";
import { validateWithSchema } from "./validateWithSchema";

/** Options of `client.request` ({@link Client.request}). */
export interface ApiRequestOptions<Output = unknown> {
  /** The HTTP method. */
  method: TransportRequest["method"];
  /** The path below the base URL, starting with `/`, e.g. `/api/user/mfa/challenges` (see protocol's `paths`). */
  path: string;
  /** A body, sent as JSON; leave it out for none. */
  body?: unknown;
  /** Checks the answer's body and types the result; without one the parsed JSON is returned as `unknown`. */
  schema?: ResponseSchema<Output> | undefined;
  /** Aborts the request (and stops waiting for a token renewal); the call rejects with its `reason`. */
  signal?: AbortSignal | undefined;
}

/**
 * Sends an authenticated request to a REST path of the API and processes the answer: the current
 * access token goes along as `Authorization: Bearer`, renewed before the request when it is about to
 * expire and once after a 401 (then the request is retried once); a `GET` is also retried after a network
 * failure, a timeout, a 429 or a 5xx, as the client's `retry` option says (other methods are sent once);
 * an error status becomes a typed error; a JSON body is parsed and, with a `schema`, validated.
 *
 * @returns the body, parsed (and validated by `schema`); `undefined` for an empty body (e.g. 204) when
 *   there is no schema.
 * @throws {TypeError} when `path` does not start with `/`, or is an OAuth endpoint (use the token manager).
 * @throws {NoTokenError} when the client holds no token.
 * @throws {UnauthorizedError} for a 401 that stays after the retry; {@link HttpError} for other errors.
 * @throws {ResponseValidationError} when a 2xx body is not JSON or fails `schema` (names the field).
 * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
 * @throws the errors of `tokenManager.refresh()` when a needed renewal fails.
 *
 * @example
 * import { mfaChallengesResponseSchema, paths } from "@kontist-auth/protocol";
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const schema = mfaChallengesResponseSchema;
 * const challenges = await sendApiRequest(api, { method: "GET", path: paths.mfaChallenges, schema });
 */
export async function sendApiRequest<Output = unknown>(
  api: AuthenticatedTransport,
  options: ApiRequestOptions<Output>,
): Promise<Output> {
  const { method, path, body, schema, signal } = options;
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) {
    throw new TypeError("request: path must be a path below the base URL, starting with a single /.");
  }
  if (/^\/api\/oauth(\/|$|\?)/.test(path)) {
    throw new TypeError(
      "request: the OAuth endpoints are the token manager's; use client.auth.tokenManager.",
    );
  }
  const response = await api.send({
    method,
    path,
    signal,
    idempotent: method === "GET",
    ...(body === undefined ? {} : { json: body }),
  });
  assertSuccess(response);
  const value = response.text === "" ? undefined : parseJsonBody(response);
  if (schema === undefined) return value as Output;
  return validateWithSchema(schema, value, response.source);
}
