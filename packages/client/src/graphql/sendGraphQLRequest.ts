import { paths } from "@kontist-auth/protocol";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { isQueryOnlyDocument } from "./isQueryOnlyDocument";
import { isUnauthorizedGraphQLResponse } from "./isUnauthorizedGraphQLResponse";
import { processGraphQLResponse } from "./processGraphQLResponse";

/** One GraphQL request ({@link sendGraphQLRequest}). */
export interface GraphQLRequestOptions {
  /** The GraphQL document. */
  query: string;
  /** Its variables, if any. */
  variables?: Record<string, unknown> | undefined;
  /** Aborts the request (and stops waiting for a token renewal); the call rejects with its `reason`. */
  signal?: AbortSignal | undefined;
  /**
   * `true` to send the request without `Authorization` when the client holds no token (public queries,
   * as Kontist's SDK allows); else a missing token is a `NoTokenError` and nothing is sent.
   */
  allowAnonymous?: boolean | undefined;
}

/**
 * Sends a GraphQL request (`POST /api/graphql` with `{ query, variables? }`) through the authenticated
 * transport and returns the answer's `data`: the token is renewed before the request when it is about to
 * expire, and once after an answer that says it was refused (HTTP 401, or an error with
 * `extensions.status` 401 in the envelope), the request then retried once. A document of queries only
 * ({@link isQueryOnlyDocument}) is idempotent: it is also retried after a network failure, a timeout, a
 * 429 or a 5xx, as the client's `retry` option says; a mutation is sent once. Every GraphQL call of the
 * client goes through here: `client.graphQL.rawQuery` and the device operations of `client.auth.device`.
 *
 * @returns the answer's `data`.
 * @throws {GraphQLError} when the answer carries `errors` (`status` 401 when the token stays refused).
 * @throws {NoTokenError} when the client holds no token and `allowAnonymous` is not set.
 * @throws {UnauthorizedError} for an HTTP 401 without a GraphQL envelope that stays after the retry;
 *   {@link HttpError} for another error status without one.
 * @throws {ResponseValidationError} when the answer is not a GraphQL envelope with `data`.
 * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
 * @throws the errors of `tokenManager.refresh()` when a needed renewal fails.
 * @throws the `reason` of `signal` when it aborts.
 *
 * @example
 * import { deviceGraphQL } from "@kontist-auth/protocol";
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const data = await sendGraphQLRequest(api, { query: deviceGraphQL.listBoundDevices });
 */
export async function sendGraphQLRequest(
  api: AuthenticatedTransport,
  options: GraphQLRequestOptions,
): Promise<Record<string, unknown>> {
  const { query, variables, signal, allowAnonymous = false } = options;
  const response = await api.send({
    method: "POST",
    path: paths.graphQL,
    json: variables === undefined ? { query } : { query, variables },
    signal,
    allowAnonymous,
    idempotent: isQueryOnlyDocument(query),
    isUnauthorized: isUnauthorizedGraphQLResponse,
  });
  return processGraphQLResponse(response);
}
