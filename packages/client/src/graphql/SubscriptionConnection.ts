import { type KontistAuthError, sleep } from "@kontist-auth/protocol";
import type { Client as GraphQLWsClient } from "graphql-ws/client";
import { untilAborted } from "../async/untilAborted";
import type { Token } from "../token/Token";
import { onAbort } from "./onAbort";
import { ReconnectPolicy } from "./ReconnectPolicy";
import {
  isCloseLike,
  readSubscriptionEvent,
  reconnectionFailedError,
  subscriptionError,
} from "./subscriptionErrors";
import { type SubscriptionIterator, subscriptionIterator } from "./subscriptionIterator";
import { defaultSubscriptionRetryOptions } from "./subscriptionRetryOptions";
import {
  callUserCallback,
  graphQLWebSocketUrl,
  type SubscribeIterableOptions,
  type SubscribeOptions,
  type SubscriptionsOptions,
  webSocketConstructor,
} from "./subscriptions";

/** How many of the tokens sent lately are redacted from errors. */
const rememberedTokens = 8;

/**
 * The one GraphQL-over-WebSocket connection of a client (graphql-ws's protocol, at
 * `{baseUrl}/api/graphql` with `ws:`/`wss:`), shared by all its subscriptions: opened on the first
 * subscription, closed when the last one ends, and reopened by the next. Each connection authenticates
 * with `connectionParams: { Authorization: "Bearer <access token>" }`, the token renewed first when it
 * expires within `refreshLeeway` (`tokenManager.getValidToken()`, the client's single-flight renewal).
 * When the server refuses the token (4403 Forbidden) it is renewed once (`tokenManager.refresh()`, unless
 * another call renewed it meanwhile) after a backoff wait, before the connection is reopened; a renewal
 * that fails ends every subscription with its error, and nothing more is tried. When the connection
 * breaks, it is reopened after backoff waits as {@link ReconnectPolicy} says, up to `retry.limit` times,
 * then the subscriptions end with a {@link NetworkError}. The subscriptions resume on the new connection.
 * When the last subscription ends while the connection waits to be reopened, the wait ends at once.
 * Each reopening emits `subscription.reconnected` once its wait is over.
 *
 * @example
 * const baseUrl = clientDefaults.baseUrl;
 * const connection = new SubscriptionConnection({ baseUrl, tokenManager: client.auth.tokenManager });
 * const query = "subscription { newTransaction { id amount } }";
 * const unsubscribe = connection.subscribe(query, { next: (data) => console.log(data) });
 * unsubscribe();
 */
export class SubscriptionConnection {
  readonly #url: string;
  readonly #options: SubscriptionsOptions;
  /** The graphql-ws client, made with the connection's first subscription, and its reconnection policy. */
  #client: Promise<GraphQLWsClient> | undefined;
  #policy: ReconnectPolicy | undefined;
  /** The access tokens sent lately, newest last: cut out of every error. */
  readonly #sent: string[] = [];
  /** How to end each running subscription with an error. */
  readonly #running = new Set<(error: KontistAuthError) => void>();
  /** Aborts when no subscription is left: a wait to reconnect ends then. */
  #idle = new AbortController();
  /** The close code of the latest connection that closed, for `subscription.reconnected`. */
  #closeCode: number | undefined;

  /** @param options - the client's: `baseUrl`, `tokenManager`, `webSocketImpl`, `retry` (`subscriptionRetry`). */
  constructor(options: SubscriptionsOptions) {
    this.#url = graphQLWebSocketUrl(options.baseUrl);
    this.#options = options;
  }

  /**
   * Starts a subscription over the shared connection (opening it if needed), unless `options.signal` has
   * aborted. Events and failures come through the callbacks, never as a thrown error.
   *
   * @returns the function that ends it (idempotent; no callback is called after it).
   */
  subscribe<Data>(query: string, options: SubscribeOptions<Data>): () => void {
    const { variables, signal } = options;
    if (signal?.aborted) return () => {};
    let dispose: (() => void) | undefined;
    let stopListening = () => {};
    const end = (then?: () => void) => {
      if (!this.#running.delete(fail)) return;
      stopListening();
      dispose?.();
      if (this.#running.size === 0) this.#idle.abort();
      then?.();
    };
    const fail = (error: KontistAuthError) => end(() => callUserCallback(options.error, error));
    const unsubscribe = () => end();
    if (this.#idle.signal.aborted) this.#idle = new AbortController();
    this.#running.add(fail);
    if (signal !== undefined) stopListening = onAbort(signal, unsubscribe);

    const start = (client: GraphQLWsClient) => {
      if (!this.#running.has(fail)) return;
      dispose = client.subscribe<Record<string, unknown>>(
        { query, ...(variables === undefined ? {} : { variables }) },
        {
          next: (result) => {
            if (!this.#running.has(fail)) return;
            let data: Record<string, unknown>;
            try {
              data = readSubscriptionEvent(result, this.#sent);
            } catch (error) {
              return fail(error as KontistAuthError);
            }
            callUserCallback(options.next, data as Data);
          },
          error: (error) => fail(this.#failure(error)),
          complete: () => end(() => callUserCallback(options.complete)),
        },
      );
    };
    // A failure to load graphql-ws (e.g. a chunk that did not download) becomes a NetworkError.
    this.#connection()
      .then(start)
      .catch((error: unknown) => fail(subscriptionError(error, this.#sent)));
    return unsubscribe;
  }

  /**
   * Starts a subscription whose events come from an async iterator (see {@link subscriptionIterator}):
   * `return()` ends it, a failure is thrown from `next()`, an abort of `options.signal` throws its reason.
   */
  iterate<Data>(query: string, options: SubscribeIterableOptions): SubscriptionIterator<Data> {
    const { variables, signal } = options;
    return subscriptionIterator<Data>((sink) => this.subscribe(query, { variables, ...sink }), signal);
  }

  /** What a subscription ends with: graphql-ws's report as a typed error, a NetworkError after the last reconnection. */
  #failure(error: unknown): KontistAuthError {
    const policy = this.#policy;
    return policy?.gaveUp(error)
      ? reconnectionFailedError(error, policy.attempts, this.#sent)
      : subscriptionError(error, this.#sent);
  }

  /** Ends every running subscription with `error`: graphql-ws then has none left and stops reconnecting. */
  #failAll(error: KontistAuthError): void {
    for (const fail of [...this.#running]) fail(error);
  }

  /**
   * The graphql-ws client, made on first use; graphql-ws itself is loaded then (`import()`), so an app
   * that never subscribes does not bundle it. A failed load is forgotten, so the next subscription retries.
   *
   * @throws {TypeError} at once when there is no `WebSocket`.
   */
  #connection(): Promise<GraphQLWsClient> {
    if (this.#client !== undefined) return this.#client;
    const { retry = defaultSubscriptionRetryOptions, tokenManager } = this.#options;
    const webSocketImpl = webSocketConstructor(this.#options.webSocketImpl);
    const policy = new ReconnectPolicy(retry, () => tokenManager.canRenew);
    this.#policy = policy;
    const client = import("graphql-ws/client").then(({ createClient }) =>
      createClient({
        url: this.#url,
        webSocketImpl,
        lazy: true,
        // The policy decides (shouldRetry); graphql-ws's own count would stop it first.
        retryAttempts: Number.POSITIVE_INFINITY,
        connectionParams: () => this.#connectionParams(policy),
        shouldRetry: (failure) => policy.shouldRetry(failure),
        retryWait: () => this.#waitToReconnect(policy),
        on: {
          connected: () => policy.connected(),
          closed: (event) => {
            this.#closeCode = isCloseLike(event) ? event.code : undefined;
          },
        },
      }),
    );
    client.catch(() => {
      if (this.#client === client) this.#client = undefined;
    });
    this.#client = client;
    return client;
  }

  /**
   * graphql-ws's `retryWait`: the policy's backoff wait, then, after a refused token, its renewal, so a
   * renewal that fails opens no connection. Never rejects (graphql-ws would hang): a failure ends every
   * subscription instead, and so does a reconnection beyond the limit. Ends at once when no subscription
   * is left; graphql-ws then gives up without connecting, and the next subscription starts afresh (a new
   * graphql-ws client, which connects at once).
   */
  async #waitToReconnect(policy: ReconnectPolicy): Promise<void> {
    const idle = this.#idle.signal;
    const delay = policy.nextDelay();
    try {
      if (delay === undefined) throw reconnectionFailedError(undefined, policy.attempts, this.#sent);
      await sleep(delay, idle);
      if (policy.takeRenewal()) this.#remember(await untilAborted(this.#renewedToken(), idle));
      this.#options.emit?.("reconnect", policy.attempts, delay, this.#closeCode);
    } catch (error) {
      if (!idle.aborted) this.#failAll(subscriptionError(error, this.#sent));
    }
    if (this.#running.size === 0) this.#client = undefined;
  }

  async #connectionParams(policy: ReconnectPolicy): Promise<{ Authorization: string }> {
    // A renewal is still due here only when the wait before this connection was cut short.
    const { tokenManager } = this.#options;
    const token = policy.takeRenewal() ? await this.#renewedToken() : await tokenManager.getValidToken();
    this.#remember(token);
    return { Authorization: `Bearer ${token.accessToken}` };
  }

  /** A token other than the refused one: renewed meanwhile by another call, or renewed now. */
  async #renewedToken(): Promise<Token> {
    const { tokenManager } = this.#options;
    const current = await tokenManager.loadToken();
    if (current !== null && !this.#sent.includes(current.accessToken)) {
      return tokenManager.getValidToken();
    }
    return tokenManager.refresh();
  }

  #remember(token: Token): void {
    for (const secret of [token.accessToken, token.refreshToken]) {
      if (secret === undefined || this.#sent.includes(secret)) continue;
      this.#sent.push(secret);
    }
    this.#sent.splice(0, Math.max(0, this.#sent.length - rememberedTokens));
  }
}
