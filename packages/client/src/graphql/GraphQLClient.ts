import { maxGraphQLQueryLength } from "@kontist-auth/protocol";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { sendGraphQLRequest } from "./sendGraphQLRequest";
import type { GraphQLSubscription, SubscribeOptions, Subscriptions } from "./subscriptions";

/**
 * The GraphQL API (`client.graphQL`): queries and mutations with `rawQuery` (`POST /api/graphql`, with the
 * client's token renewed as needed — before the request when it is about to expire, and once after an
 * answer that says it was refused, HTTP 401 or an error with `extensions.status` 401, retrying once; a
 * client without a token sends public queries without `Authorization`, as Kontist's SDK does), and
 * subscriptions with `subscribe` (graphql-ws over one shared WebSocket at `{baseUrl}/api/graphql`).
 *
 * @example
 * const { viewer } = await client.graphQL.rawQuery<{ viewer: { email: string } }>("{ viewer { email } }");
 */
export class GraphQLClient {
  readonly #api: AuthenticatedTransport;
  readonly #subscriptions: Subscriptions | undefined;

  /** Made by {@link Client}; use `client.graphQL`. */
  constructor(api: AuthenticatedTransport, subscriptions?: Subscriptions) {
    this.#api = api;
    this.#subscriptions = subscriptions;
  }

  /**
   * Runs a GraphQL query or mutation and returns its `data`. Banking fields (e.g.
   * `viewer { mainAccount { iban balance } }`) need a confirmed token. With a token (loaded from the
   * `tokenStore` first, when there is one) the request carries it; without one it goes out without
   * `Authorization`, for the API's public queries (the rest answer with an error). A document of queries
   * only is retried after a network failure, a timeout, a 429 or a 5xx, as the client's `retry` option
   * says; one with a mutation (or anything the client cannot tell from one) is sent once.
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

  /**
   * Subscribes to a GraphQL subscription, e.g. Kontist's `newTransaction`, over the GraphQL over
   * WebSocket protocol of graphql-ws (as Kontist's SDK does): at `{baseUrl}/api/graphql` with `wss:` for
   * `https:` (`ws:` for `http:`), authenticated by `connectionParams: { Authorization: "Bearer <access
   * token>" }`. All subscriptions of a client share one WebSocket, opened by the first and closed when the
   * last one ends. Each (re)connection takes the current token, renewed first when it is about to expire;
   * a connection that drops is reopened and its subscriptions resumed; a token the server refuses (close
   * code 4403) is renewed once and the connection reopened at once. Events, failures and the end come
   * through the callbacks (see {@link SubscribeOptions}); `onError` ends the subscription. No error holds
   * a token.
   *
   * Needs a `WebSocket`: the global one (browsers, Deno, Bun, Node 22+), or `webSocketImpl` in the
   * client's options (Node 20: `import WebSocket from "ws"`, `new Client({ …, webSocketImpl: WebSocket })`).
   * Kontist's `newTransaction` needs a confirmed token (MFA passed); without one `onError` gets a
   * `GraphQLError` with `status` 403.
   *
   * @returns the subscription; `unsubscribe()` ends it (no callback is called after it).
   * @throws {TypeError} when `query` is empty or 10,000 characters or longer, `variables` is not an object,
   *   `onNext` (or `onError`, `onComplete` when given) is not a function, or there is no `WebSocket`.
   *
   * @example
   * import WebSocket from "ws"; // Node 20 only
   *
   * const client = new Client({ clientId: "my-client", clientSecret: "…", webSocketImpl: WebSocket });
   * const subscription = client.graphQL.subscribe<{ newTransaction: { id: string; amount: number; name: string | null } }>({
   *   query: "subscription { newTransaction { id amount name } }",
   *   onNext: ({ newTransaction }) => console.log(newTransaction.amount),
   *   onError: (error) => console.error(error.code, error.status),
   * });
   * // later
   * subscription.unsubscribe();
   */
  subscribe<Data = Record<string, unknown>>(options: SubscribeOptions<Data>): GraphQLSubscription {
    if (this.#subscriptions === undefined) {
      throw new TypeError(
        "subscribe: this GraphQLClient was made without subscriptions; use client.graphQL.",
      );
    }
    return this.#subscriptions.subscribe(options);
  }
}
