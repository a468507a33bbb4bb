import { type KontistAuthError, maxGraphQLQueryLength, paths } from "@kontist-auth/protocol";
import type { TokenManager } from "../auth/TokenManager";
import { NetworkError } from "../errors/NetworkError";
import type { SubscriptionConnection } from "./SubscriptionConnection";

// What subscriptions need before their connection's code is loaded (`SubscriptionConnection`, loaded on
// the first subscription): the options' types and checks, the WebSocket URL and constructor.

/** What `client.graphQL.subscribe` takes. */
export interface SubscribeOptions<Data = Record<string, unknown>> {
  /** The subscription document, e.g. `subscription { newTransaction { id amount name } }`; under 10,000 characters. */
  query: string;
  /** Its variables, if any. */
  variables?: Record<string, unknown> | undefined;
  /** Called with the `data` of each event, e.g. `{ newTransaction: { id, amount, name } }`. */
  onNext: (data: Data) => void;
  /**
   * Called once when the subscription fails, which ends it: a {@link GraphQLError} for an event with
   * `errors` or a refused operation (e.g. `status` 403 without a confirmed token), a
   * {@link WebSocketClosedError} when the server closed the connection for good, a {@link NetworkError}
   * when it could not be reached or broke, or the error of getting a valid token (`NoTokenError`,
   * `TokenRenewalError`, `TokenStoreError`). Without it, failures end the subscription silently.
   */
  onError?: ((error: KontistAuthError) => void) | undefined;
  /** Called once when the server completes the subscription (not after `unsubscribe()` or `onError`). */
  onComplete?: (() => void) | undefined;
}

/** A running subscription, as `client.graphQL.subscribe` returns it. */
export interface GraphQLSubscription {
  /** Ends the subscription (no callback is called after it); the last one closes the shared WebSocket. Idempotent. */
  unsubscribe(): void;
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
 * Checks what `subscribe` was given, before anything is sent.
 *
 * @throws {TypeError} when `query` is empty or too long, `variables` is not an object, or a callback is not
 *   a function.
 *
 * @example
 * assertSubscribeOptions({ query: "subscription { newTransaction { id } }", onNext: console.log });
 */
export function assertSubscribeOptions<Data>(options: SubscribeOptions<Data>): void {
  const { query, variables, onNext, onError, onComplete } =
    options ?? ({} as Partial<SubscribeOptions<Data>>);
  if (typeof query !== "string" || query.trim() === "" || query.length > maxGraphQLQueryLength) {
    throw new TypeError(
      `subscribe: query must be a non-empty string of at most ${maxGraphQLQueryLength} characters.`,
    );
  }
  if (variables !== undefined && (typeof variables !== "object" || variables === null)) {
    throw new TypeError("subscribe: variables must be an object.");
  }
  if (typeof onNext !== "function") throw new TypeError("subscribe: onNext must be a function.");
  for (const [name, callback] of Object.entries({ onError, onComplete })) {
    if (callback !== undefined && typeof callback !== "function") {
      throw new TypeError(`subscribe: ${name} must be a function.`);
    }
  }
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
}

/**
 * The subscriptions of a client (`client.graphQL.subscribe`): checks each one at once, and hands it to
 * the client's one {@link SubscriptionConnection}, whose code (with graphql-ws) is loaded on the first
 * subscription, so an app that never subscribes does not carry it. A failed load is forgotten (the next
 * subscription loads again) and reaches the subscription's `onError` as a {@link NetworkError}.
 *
 * @example
 * declare const tokenManager: TokenManager;
 * const subscriptions = new Subscriptions({ baseUrl: "https://api.kontist.com", tokenManager });
 * const subscription = subscriptions.subscribe({ query: "subscription { newTransaction { id } }", onNext: console.log });
 * subscription.unsubscribe();
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
   * @throws {TypeError} when the options are invalid or there is no `WebSocket` (nothing is loaded then).
   */
  subscribe<Data = Record<string, unknown>>(options: SubscribeOptions<Data>): GraphQLSubscription {
    assertSubscribeOptions(options);
    webSocketConstructor(this.#options.webSocketImpl);
    let ended = false;
    let running: GraphQLSubscription | undefined;
    this.#load().then(
      (connection) => {
        if (!ended) running = connection.subscribe(options);
      },
      (error: unknown) => {
        if (ended) return;
        ended = true;
        callUserCallback(options.onError, new NetworkError(subscriptionSource, error));
      },
    );
    return {
      unsubscribe: () => {
        if (ended) return;
        ended = true;
        running?.unsubscribe();
      },
    };
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
