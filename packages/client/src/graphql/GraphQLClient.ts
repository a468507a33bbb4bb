import { maxGraphQLQueryLength, paths } from "@kontist-auth/protocol";
import type { AuthenticatedTransport } from "../auth/AuthenticatedTransport";
import { processGraphQLResponse } from "./processGraphQLResponse";

/**
 * The GraphQL API (`client.graphQL`), `POST /api/graphql`, with the client's token renewed as needed
 * (before the request when it is about to expire, and once after a 401, retrying once).
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
   * `viewer { mainAccount { iban balance } }`) need a confirmed token.
   *
   * @param query - the GraphQL document, under 10,000 characters (Kontist's limit).
   * @param variables - its variables, if any.
   * @returns the answer's `data`.
   * @throws {GraphQLError} (`GRAPHQL_ERROR`) when the answer carries `errors`: `errors` lists them,
   *   `data` holds the partial data, if any.
   * @throws {TypeError} when `query` is empty or 10,000 characters or longer (nothing is sent).
   * @throws {NoTokenError} when the client holds no token.
   * @throws {UnauthorizedError} for a 401 that stays after the retry; {@link HttpError} for other errors.
   * @throws {ResponseValidationError} when the answer is not a GraphQL envelope with `data`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
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
    const response = await this.#api.send({
      method: "POST",
      path: paths.graphQL,
      json: variables === undefined ? { query } : { query, variables },
    });
    return processGraphQLResponse(response) as Data;
  }
}
