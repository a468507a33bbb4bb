import { type KontistAuthError, maxGraphQLQueryLength, paths } from "@kontist-auth/protocol";
import type { TokenManager } from "../auth/TokenManager";
import { assertAbortSignal } from "../deviceBinding/assertAbortSignal";
import { NetworkError } from "../errors/NetworkError";
import type { EmitEvent } from "../events/ClientEvent";
import type { SubscriptionConnection } from "./SubscriptionConnection";
import type { SubscriptionRetryOptions } from "./subscriptionRetryOptions";

// What subscriptions need before their connection's code is loaded (`SubscriptionConnection`, loaded on
// the first subscription): the options' types and checks, the WebSocket URL and constructor.

/** What `client.graphQL.subscribe(query, options)` takes for the async iterator it returns (no `next`). */
export interface SubscribeIterableOptions {
  /** The subscription's variables, if any. */
  variables?: Record<string, unknown> | undefined;
  /**
   * Ends the subscription when it aborts, also while the connection waits to be reopened. The callback
   * form calls no callback after it; the iterator throws the signal's `reason` from `next()`.
   */
  signal?: AbortSignal | undefined;
}

/** What `client.graphQL.subscribe(query, options)` takes for the callback form (with `next`). */
export interface SubscribeOptions<Data = Record<string, unknown>> extends SubscribeIterableOptions {
  /** Called with the `data` of each event, e.g. `{ newTransaction: { id, amount, name } }`. */
  next: (data: Data) => void;
  /**
   * Called once when the subscription fails, which ends it: a {@link GraphQLError} for an event with
   * `errors` or a refused operation (e.g. `status` 403 without a confirmed token), a
   * {@link WebSocketClosedError} when the server closed the connection for good, a {@link NetworkError}
   * when it could not be reached or reopened, or the error of getting a valid token (`NoTokenError`, or
   * what the renewal after a refused token failed with: `OAuth2Error`, `TokenRenewalError`,
   * `TokenStoreError`, …). Without it, failures end the subscription silently.
   */
  error?: ((error: KontistAuthError) => void) | undefined;
  /** Called once when the server completes the subscription (not after unsubscribing, an abort or `error`). */
  complete?: (() => void) | undefined;
}

/**
 * The WebSocket URL of GraphQL subscriptions for an API base URL: `https:` becomes `wss:`, `http:`
 * becomes `ws:`, and `/api/graphql` is appended to its path (a path prefix is kept, as for HTTP calls).
 *
 * @example
 * graphQLWebSocketUrl("https://api.kontist.com"); // "wss://api.kontist.com/api/graphql"
 */
export function graphQLWebSocketUrl(baseUrl: string): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, "")}${paths.graphQL}`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/**
 * Whether `value` can serve as graphql-ws's `webSocketImpl`: a `WebSocket` constructor with the
 * `CONNECTING`, `OPEN`, `CLOSING` and `CLOSED` constants (the global one of browsers, Deno, Bun and Node
 * 22+, or the `ws` package's).
 *
 * @example
 * isWebSocketConstructor(WebSocket); // true
 */
export function isWebSocketConstructor(value: unknown): boolean {
  return (
    typeof value === "function" &&
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].every((name) => typeof (value as never)[name] === "number")
  );
}

/**
 * The WebSocket constructor subscriptions use: `webSocketImpl` from the client's options, else the
 * global `WebSocket`.
 *
 * @throws {TypeError} when there is none.
 *
 * @example
 * const WebSocketImpl = webSocketConstructor(undefined); // the global WebSocket, or a TypeError
 */
export function webSocketConstructor(webSocketImpl: unknown): unknown {
  const found = webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
  if (!isWebSocketConstructor(found)) {
    throw new TypeError(
      'subscribe: this runtime has no global WebSocket (Node 20 has none without --experimental-websocket); pass one: import WebSocket from "ws"; new Client({ …, webSocketImpl: WebSocket }).',
    );
  }
  return found;
}

/**
 * Checks what `subscribe` was given, before anything is sent; tells the two forms apart.
 *
 * @returns whether it is the callback form (`options.next` given).
 * @throws {TypeError} when `query` is empty or too long, `options` or `variables` is not an object,
 *   `signal` is not an `AbortSignal`, a callback is not a function, or `error` or `complete` comes
 *   without `next`.
 *
 * @example
 * assertSubscribeArguments("subscription { newTransaction { id } }", { next: console.log }); // true
 */
export function assertSubscribeArguments(
  query: unknown,
  options: Partial<SubscribeOptions<unknown>> | undefined,
): boolean {
  if (typeof query !== "string" || query.trim() === "" || query.length > maxGraphQLQueryLength) {
    throw new TypeError(
      `subscribe: query must be a non-empty string of at most ${maxGraphQLQueryLength} characters.`,
    );
  }
  const { variables, signal, next, error, complete } = options ?? {};
  for (const [name, value] of Object.entries({ options, variables })) {
    if (value !== undefined && (typeof value !== "object" || value === null)) {
      throw new TypeError(`subscribe: ${name} must be an object.`);
    }
  }
  assertAbortSignal(signal, "subscribe: signal");
  for (const [name, callback] of Object.entries({ next, error, complete })) {
    if (callback !== undefined && typeof callback !== "function") {
      throw new TypeError(`subscribe: ${name} must be a function.`);
    }
  }
  if (next === undefined && (error ?? complete) !== undefined) {
    throw new TypeError("subscribe: error and complete need next.");
  }
  return next !== undefined;
}

/** What the errors of subscriptions name as their source. */
export const subscriptionSource = `WebSocket ${paths.graphQL}`;

/** Calls a user's callback; what it throws goes to `reportError` where the platform has it, not to the socket. */
export function callUserCallback<Args extends unknown[]>(
  callback: ((...args: Args) => void) | undefined,
  ...args: Args
): void {
  try {
    callback?.(...args);
  } catch (error) {
    globalThis.reportError?.(error);
  }
}

/** What the subscriptions of a client are made with. */
export interface SubscriptionsOptions {
  /** The API's base URL. */
  baseUrl: string;
  tokenManager: TokenManager;
  /** A `WebSocket` constructor; default the global one. */
  webSocketImpl?: unknown;
  /** How the connection is reopened after it broke (`ClientOptions.subscriptionRetry`); default its defaults. */
  retry?: Readonly<SubscriptionRetryOptions> | false | undefined;
  /** Where `subscription.reconnected` events go (the client's `onEvent`); none by default. */
  emit?: EmitEvent | undefined;
}

/**
 * The subscriptions of a client (`client.graphQL.subscribe`): checks each one at once, and hands it to
 * the client's one {@link SubscriptionConnection}, whose code (with graphql-ws) is loaded on the first
 * subscription, so an app that never subscribes does not carry it. A failed load is forgotten (the next
 * subscription loads again) and ends the subscription with a {@link NetworkError}.
 *
 * @example
 * declare const tokenManager: TokenManager;
 * const subscriptions = new Subscriptions({ baseUrl: "https://api.kontist.com", tokenManager });
 * const unsubscribe = subscriptions.subscribe("subscription { newTransaction { id } }", { next: console.log });
 * if (typeof unsubscribe === "function") unsubscribe();
 */
export class Subscriptions {
  readonly #options: SubscriptionsOptions;
  #connection: Promise<SubscriptionConnection> | undefined;

  constructor(options: SubscriptionsOptions) {
    this.#options = options;
  }

  /**
   * Starts a subscription; see `GraphQLClient.subscribe`.
   *
   * @returns the function that ends it with `options.next`, else an async iterator of its events.
   * @throws {TypeError} when the arguments are invalid or there is no `WebSocket` (nothing is loaded then).
   */
  subscribe<Data>(
    query: string,
    options?: SubscribeOptions<Data> | SubscribeIterableOptions,
  ): (() => void) | AsyncIterableIterator<Data> {
    const withCallbacks = assertSubscribeArguments(query, options as Partial<SubscribeOptions<unknown>>);
    webSocketConstructor(this.#options.webSocketImpl);
    const loaded = this.#load().catch((error: unknown) => {
      throw new NetworkError(subscriptionSource, error);
    });
    return withCallbacks
      ? subscribeOnceLoaded(loaded, query, options as SubscribeOptions<Data>)
      : iterateOnceLoaded<Data>(loaded, query, options ?? {});
  }

  #load(): Promise<SubscriptionConnection> {
    if (this.#connection !== undefined) return this.#connection;
    const connection = import("./SubscriptionConnection").then(
      ({ SubscriptionConnection }) => new SubscriptionConnection(this.#options),
    );
    connection.catch(() => {
      if (this.#connection === connection) this.#connection = undefined;
    });
    this.#connection = connection;
    return connection;
  }
}

/** The callback form: starts once the connection's code is loaded, unless it ended first; a failed load goes to `error`. */
function subscribeOnceLoaded<Data>(
  loaded: Promise<SubscriptionConnection>,
  query: string,
  options: SubscribeOptions<Data>,
): () => void {
  let ended = false;
  let unsubscribe: (() => void) | undefined;
  loaded.then(
    (connection) => {
      if (!ended) unsubscribe = connection.subscribe(query, options);
    },
    (error: KontistAuthError) => {
      if (ended || options.signal?.aborted) return;
      ended = true;
      callUserCallback(options.error, error);
    },
  );
  return () => {
    ended = true;
    unsubscribe?.();
  };
}

/**
 * The iterator form: the subscription starts at once (events wait in the iterator until read); `next()`
 * and `return()` go to the connection's iterator once its code is loaded, and a failed load is thrown
 * from `next()`.
 */
function iterateOnceLoaded<Data>(
  loaded: Promise<SubscriptionConnection>,
  query: string,
  options: SubscribeIterableOptions,
): AsyncIterableIterator<Data> {
  const iterator = loaded.then((connection) => connection.iterate<Data>(query, options));
  // Read through next(); a load that failed before then must not count as an unhandled rejection.
  iterator.catch(() => undefined);
  return {
    next: () => iterator.then((running) => running.next()),
    return: () =>
      iterator.then(
        (running) => running.return(),
        () => ({ done: true, value: undefined }),
      ),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
