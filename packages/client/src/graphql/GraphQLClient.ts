import { maxGraphQLQueryLength } from "@kontist-auth/protocol";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { sendGraphQLRequest } from "./sendGraphQLRequest";
import type { SubscribeIterableOptions, SubscribeOptions, Subscriptions } from "./subscriptions";

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
   * last one ends. Each connection takes the current token, renewed first when it is about to expire.
   * When the server refuses the token (close code 4403: it expired or was revoked), the token is renewed
   * once and the connection reopened after a backoff wait; a renewal that fails ends the subscriptions
   * with its error, and nothing more is tried. A connection that breaks is reopened after backoff waits,
   * as the client's `subscriptionRetry` option says, and its subscriptions resumed; after the last
   * attempt they end with a `NetworkError`. No error holds a token.
   *
   * Two forms: with `next` (callbacks, see {@link SubscribeOptions}) it returns the function that ends
   * the subscription; without it, an async iterator of the events' `data` (`for await`), which starts at
   * once and keeps events until read: `break` (or `return()`) ends the subscription, a failure is thrown
   * from the loop, and the server completing it ends the loop. In both, an aborted `signal` ends it, also
   * while the connection waits to be reopened: the callback form calls no callback after it, the iterator
   * throws the signal's `reason` (an `AbortError` by default), as `fetch` does.
   *
   * Needs a `WebSocket`: the global one (browsers, Deno, Bun, Node 22+), or `webSocketImpl` in the
   * client's options (Node 20: `import WebSocket from "ws"`, `new Client({ …, webSocketImpl: WebSocket })`).
   * Kontist's `newTransaction` needs a confirmed token (MFA passed); without one the subscription fails
   * with a `GraphQLError` of `status` 403.
   *
   * @param query - the subscription document, under 10,000 characters.
   * @returns the function that ends the subscription (idempotent; the last one closes the WebSocket).
   * @throws {TypeError} when `query` is empty or 10,000 characters or longer, `variables` is not an object,
   *   `signal` is not an `AbortSignal`, a callback is not a function, `error` or `complete` comes without
   *   `next`, or there is no `WebSocket`.
   *
   * @example
   * import WebSocket from "ws"; // Node 20 only
   *
   * type NewTransaction = { newTransaction: { id: string; amount: number; name: string | null } };
   * const client = new Client({ clientId: "my-client", clientSecret: "…", webSocketImpl: WebSocket });
   * const unsubscribe = client.graphQL.subscribe<NewTransaction>("subscription { newTransaction { id amount name } }", {
   *   next: ({ newTransaction }) => console.log(newTransaction.amount),
   *   error: (error) => console.error(error.code, error.status),
   * });
   * // later
   * unsubscribe();
   */
  subscribe<Data = Record<string, unknown>>(query: string, options: SubscribeOptions<Data>): () => void;
  /**
   * The iterator form of {@link GraphQLClient.subscribe}: without `next`, the events' `data` come from an
   * async iterator. `break` ends the subscription; a failure is thrown from the loop as its typed error;
   * an aborted `signal` throws its `reason`; the server completing it ends the loop.
   *
   * @returns an async iterator of the events' `data`; the subscription starts at once.
   * @throws {TypeError} as the callback form.
   *
   * @example
   * const signal = AbortSignal.timeout(60_000);
   * const query = "subscription { newTransaction { id amount } }";
   * try {
   *   for await (const { newTransaction } of client.graphQL.subscribe<{ newTransaction: { id: string; amount: number } }>(query, { signal })) {
   *     console.log(newTransaction.amount);
   *   }
   * } catch (error) {
   *   if (!signal.aborted) throw error; // a KontistAuthError, e.g. NETWORK_ERROR after the last reconnection
   * }
   */
  subscribe<Data = Record<string, unknown>>(
    query: string,
    options?: SubscribeIterableOptions,
  ): AsyncIterableIterator<Data>;
  subscribe<Data = Record<string, unknown>>(
    query: string,
    options?: SubscribeOptions<Data> | SubscribeIterableOptions,
  ): (() => void) | AsyncIterableIterator<Data> {
    if (this.#subscriptions === undefined) {
      throw new TypeError(
        "subscribe: this GraphQLClient was made without subscriptions; use client.graphQL.",
      );
    }
    return this.#subscriptions.subscribe<Data>(query, options);
  }
}
