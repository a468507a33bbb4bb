import type { KontistAuthError } from "@kontist-auth/protocol";
import type { Client as GraphQLWsClient } from "graphql-ws/client";
import type { TokenManager } from "../auth/TokenManager";
import type { Token } from "../token/Token";
import { ReconnectPolicy } from "./ReconnectPolicy";
import { readSubscriptionEvent, subscriptionError } from "./subscriptionErrors";
import {
  assertSubscribeOptions,
  callUserCallback,
  type GraphQLSubscription,
  graphQLWebSocketUrl,
  type SubscribeOptions,
  webSocketConstructor,
} from "./subscriptions";

/** How many of the tokens sent lately are redacted from errors. */
const rememberedTokens = 8;

/**
 * The one GraphQL-over-WebSocket connection of a client (graphql-ws's protocol, at
 * `{baseUrl}/api/graphql` with `ws:`/`wss:`), shared by all its subscriptions: opened on the first
 * subscription, closed when the last one ends, and reopened by the next. Each (re)connection
 * authenticates with `connectionParams: { Authorization: "Bearer <access token>" }`, the token renewed
 * first when it expires within `refreshLeeway` (`tokenManager.getValidToken()`), so a reconnection uses
 * the renewed token. When the connection drops, graphql-ws reconnects (up to 5 times, waiting 1 s, 2 s, 4 s,
 * … plus up to 3 s) and subscribes again; when the server refuses the token (4403 Forbidden), the token is
 * renewed once and the client reconnects at once, and a second refusal in a row ends the subscriptions
 * with a {@link WebSocketClosedError}.
 *
 * @example
 * const baseUrl = clientDefaults.baseUrl;
 * const connection = new SubscriptionConnection({ baseUrl, tokenManager: client.auth.tokenManager });
 * const query = "subscription { newTransaction { id amount } }";
 * const subscription = connection.subscribe({ query, onNext: (data) => console.log(data) });
 * subscription.unsubscribe();
 */
export class SubscriptionConnection {
  readonly #url: string;
  readonly #tokenManager: TokenManager;
  readonly #webSocketImpl: unknown;
  #client: Promise<GraphQLWsClient> | undefined;
  /** The access tokens sent lately, newest last: cut out of every error. */
  readonly #sent: string[] = [];
  readonly #reconnect: ReconnectPolicy;

  /**
   * @param options.baseUrl - the API's base URL (`http(s):`).
   * @param options.tokenManager - where the access token comes from.
   * @param options.webSocketImpl - a `WebSocket` constructor; default the global `WebSocket`.
   */
  constructor(options: { baseUrl: string; tokenManager: TokenManager; webSocketImpl?: unknown }) {
    this.#url = graphQLWebSocketUrl(options.baseUrl);
    this.#tokenManager = options.tokenManager;
    this.#webSocketImpl = options.webSocketImpl;
    this.#reconnect = new ReconnectPolicy(() => this.#tokenManager.canRenew);
  }

  /**
   * Starts a subscription over the shared connection (opening it if needed). Results and failures come
   * through the callbacks, never as a thrown error.
   *
   * @throws {TypeError} when `query` is empty or 10,000 characters or longer, `variables` is not an
   *   object, a callback is not a function, or there is no `WebSocket` (no global one and no
   *   `webSocketImpl`).
   */
  subscribe<Data = Record<string, unknown>>(options: SubscribeOptions<Data>): GraphQLSubscription {
    assertSubscribeOptions(options);
    const { query, variables, onNext, onError, onComplete } = options;
    const connection = this.#connection();

    let ended = false;
    let dispose: (() => void) | undefined;
    const fail = (error: KontistAuthError) => {
      if (ended) return;
      ended = true;
      dispose?.();
      callUserCallback(onError, error);
    };
    const start = (client: GraphQLWsClient) => {
      if (ended) return;
      dispose = client.subscribe<Record<string, unknown>>(
        { query, ...(variables === undefined ? {} : { variables }) },
        {
          next: (result) => {
            if (ended) return;
            let data: Record<string, unknown>;
            try {
              data = readSubscriptionEvent(result, this.#sent);
            } catch (error) {
              return fail(error as KontistAuthError);
            }
            callUserCallback(onNext, data as Data);
          },
          error: (error) => fail(subscriptionError(error, this.#sent)),
          complete: () => {
            if (ended) return;
            ended = true;
            callUserCallback(onComplete);
          },
        },
      );
      if (ended) dispose();
    };
    // A failure to load graphql-ws (e.g. a chunk that did not download) becomes a NetworkError.
    connection.then(start).catch((error: unknown) => fail(subscriptionError(error, this.#sent)));
    return {
      unsubscribe: () => {
        if (ended) return;
        ended = true;
        dispose?.();
      },
    };
  }

  /**
   * The graphql-ws client, made on first use; graphql-ws itself is loaded then (`import()`), so an app
   * that never subscribes does not bundle it. A failed load is forgotten, so the next subscription retries.
   *
   * @throws {TypeError} at once when there is no `WebSocket`.
   */
  #connection(): Promise<GraphQLWsClient> {
    if (this.#client !== undefined) return this.#client;
    const webSocketImpl = webSocketConstructor(this.#webSocketImpl);
    const client = import("graphql-ws/client").then(({ createClient }) =>
      createClient({
        url: this.#url,
        webSocketImpl,
        lazy: true,
        connectionParams: () => this.#connectionParams(),
        shouldRetry: (errorOrClose) => this.#reconnect.shouldRetry(errorOrClose),
        retryWait: (retries) => this.#reconnect.retryWait(retries),
        on: { connected: () => this.#reconnect.connected() },
      }),
    );
    client.catch(() => {
      if (this.#client === client) this.#client = undefined;
    });
    this.#client = client;
    return client;
  }

  async #connectionParams(): Promise<{ Authorization: string }> {
    const renew = this.#reconnect.takeRenewal();
    const token = renew ? await this.#renewedToken() : await this.#tokenManager.getValidToken();
    this.#remember(token);
    return { Authorization: `Bearer ${token.accessToken}` };
  }

  /** A token other than the refused one: renewed meanwhile by another call, or renewed now. */
  async #renewedToken(): Promise<Token> {
    const current = await this.#tokenManager.loadToken();
    if (current !== null && !this.#sent.includes(current.accessToken)) {
      return this.#tokenManager.getValidToken();
    }
    return this.#tokenManager.refresh();
  }

  #remember(token: Token): void {
    for (const secret of [token.accessToken, token.refreshToken]) {
      if (secret === undefined || this.#sent.includes(secret)) continue;
      this.#sent.push(secret);
    }
    this.#sent.splice(0, Math.max(0, this.#sent.length - rememberedTokens));
  }
}
