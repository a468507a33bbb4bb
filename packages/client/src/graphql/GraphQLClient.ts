import { maxGraphQLQueryLength } from "@kontist-auth/protocol";
import type { AuthenticatedTransport } from "../auth/AuthenticatedTransport";
import { sendGraphQLRequest } from "./sendGraphQLRequest";

/**
 * The GraphQL API (`client.graphQL`), `POST /api/graphql`, with the client's token renewed as needed
 * (before the request when it is about to expire, and once after an answer that says it was refused —
 * HTTP 401 or an error with `extensions.status` 401 — retrying once). A client without a token sends
 * public queries without `Authorization`, as Kontist's SDK does.
 *
 * @example
 * const { viewer } = await client.graphQL.rawQuery<{ viewer: { email: string } }>("{ viewer { email } }");
 */
export class GraphQLClient {
  readonly #api: AuthenticatedTransport;

  /** Made by {@link Client}; use `client.graphQL`. */
  constructor(api: AuthenticatedTransport) {
    this.#api = api;
  }

  /**
   * Runs a GraphQL query or mutation and returns its `data`. Banking fields (e.g.
   * `viewer { mainAccount { iban balance } }`) need a confirmed token. With a token (loaded from the
   * `tokenStore` first, when there is one) the request carries it; without one it goes out without
   * `Authorization`, for the API's public queries (the rest answer with an error).
   *
   * @param query - the GraphQL document, under 10,000 characters (Kontist's limit).
   * @param variables - its variables, if any.
   * @returns the answer's `data`.
   * @throws {GraphQLError} (`GRAPHQL_ERROR`) when the answer carries `errors`: `errors` lists them, each
   *   with its `status` and `type` (from `extensions`), `status` and `type` are the first one's, `data`
   *   holds the partial data, if any. A token still refused after the one renewal and retry gives
   *   `status` 401.
   * @throws {TypeError} when `query` is empty or 10,000 characters or longer (nothing is sent).
   * @throws {UnauthorizedError} for an HTTP 401 without GraphQL errors that stays after the retry;
   *   {@link HttpError} for other error statuses without them.
   * @throws {ResponseValidationError} when the answer is not a GraphQL envelope with `data`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   * @throws {TokenStoreError} when the stored token could not be loaded.
   * @throws the errors of `tokenManager.refresh()` when a needed renewal fails.
   *
   * @example
   * const data = await client.graphQL.rawQuery(
   *   "query ($first: Int) { viewer { mainAccount { transactions(first: $first) { edges { node { id } } } } } }",
   *   { first: 10 },
   * );
   */
  async rawQuery<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<Data> {
    if (typeof query !== "string" || query.trim() === "" || query.length > maxGraphQLQueryLength) {
      throw new TypeError(
        `rawQuery: query must be a non-empty string of at most ${maxGraphQLQueryLength} characters.`,
      );
    }
    return (await sendGraphQLRequest(this.#api, { query, variables, allowAnonymous: true })) as Data;
  }
}
