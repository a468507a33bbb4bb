import { isKontistAuthError } from "@kontist-auth/protocol";
import { backoffDelay } from "../http/retryOptions";
import { isCloseLike } from "./subscriptionErrors";
import { defaultSubscriptionRetryOptions, type SubscriptionRetryOptions } from "./subscriptionRetryOptions";

/** graphql-ws's close code for a refused connection (its `onConnect` said no), and for a token that expired. */
const forbidden = 4403;

/**
 * Whether `value` is a WebSocket's error event (the socket failed: refused, reset, TLS), as browsers,
 * undici and ws report one: an event of type `error`, not an `Error` thrown by code.
 *
 * @example
 * isSocketErrorEvent(new Event("error")); // true
 * isSocketErrorEvent(new Error("First message cannot be of type next")); // false
 */
export function isSocketErrorEvent(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Error) &&
    (value as { type?: unknown }).type === "error"
  );
}

/**
 * When the shared GraphQL WebSocket reconnects, how long it waits first, and when it renews the token
 * first (graphql-ws's `shouldRetry`, and the connection's `retryWait`):
 *
 * - after 4403 Forbidden (the server refused the token, or it expired), once per accepted connection and
 *   only when the token can be renewed: the token is renewed before the next connection;
 * - after a network failure (an abnormal or unexpected close, an error event such as a refused
 *   reconnection), while fewer than `limit` reconnections were tried in a row;
 * - never after anything else (a token error from `connectionParams`, a protocol error).
 *
 * Each reconnection waits a random time from 0 up to `baseDelay · 2^(attempt − 1)`, at most `maxDelay`
 * ({@link backoffDelay}: exponential backoff with full jitter); the attempts count from 1 again once a
 * connection is accepted. A network failure it gives up on is remembered ({@link ReconnectPolicy.gaveUp}).
 *
 * @example
 * const policy = new ReconnectPolicy({ limit: 10, baseDelay: 1_000, maxDelay: 30_000 }, () => true);
 * policy.shouldRetry({ code: 1006, reason: "" }); // true
 * policy.nextDelay(); // 0 to 999 ms
 */
export class ReconnectPolicy {
  readonly #options: Readonly<SubscriptionRetryOptions>;
  readonly #canRenew: () => boolean;
  readonly #random: () => number;
  /** Reconnections tried since the last accepted connection. */
  #attempts = 0;
  /** The next connection renews the token first: the server refused the one it had. */
  #renewBeforeConnecting = false;
  /** A token was renewed after a refusal, and no connection was accepted since. */
  #renewedSinceConnected = false;
  /** The answer for each failure: graphql-ws asks once per subscription about the same event. */
  readonly #decided = new WeakMap<object, boolean>();
  readonly #gaveUp = new WeakSet<object>();

  /**
   * @param options - `subscriptionRetry`; `false` is a `limit` of 0 (a refused token is still renewed once).
   * @param canRenew - whether the token can be renewed now (`tokenManager.canRenew`).
   * @param random - a number in [0, 1) for each wait; default `Math.random`.
   */
  constructor(
    options: Readonly<SubscriptionRetryOptions> | false,
    canRenew: () => boolean,
    random: () => number = Math.random,
  ) {
    this.#options = options === false ? { ...defaultSubscriptionRetryOptions, limit: 0 } : options;
    this.#canRenew = canRenew;
    this.#random = random;
  }

  /** Reconnections tried since the last accepted connection. */
  get attempts(): number {
    return this.#attempts;
  }

  /**
   * Whether graphql-ws reconnects after `failure` (what a connection failed with: a close event, an
   * error event, or what `connectionParams` threw; fatal close codes never get here). The same failure
   * gets the same answer each time it is asked about.
   */
  shouldRetry(failure: unknown): boolean {
    if (typeof failure !== "object" || failure === null) return false;
    let retry = this.#decided.get(failure);
    if (retry === undefined) {
      retry = this.#decide(failure);
      this.#decided.set(failure, retry);
    }
    return retry;
  }

  #decide(failure: object): boolean {
    if (isCloseLike(failure) && failure.code === forbidden) {
      if (this.#renewedSinceConnected || !this.#canRenew()) return false;
      this.#renewedSinceConnected = true;
      this.#renewBeforeConnecting = true;
      return true;
    }
    if (isKontistAuthError(failure) || !(isCloseLike(failure) || isSocketErrorEvent(failure))) return false;
    if (this.#attempts < this.#options.limit) return true;
    this.#gaveUp.add(failure);
    return false;
  }

  /** Whether `failure` was a network failure after the last reconnection `limit` allowed. */
  gaveUp(failure: unknown): boolean {
    return typeof failure === "object" && failure !== null && this.#gaveUp.has(failure);
  }

  /**
   * Counts one more reconnection and returns how long to wait before it, in milliseconds; `undefined`
   * when `limit` reconnections were tried already and no renewal is due (graphql-ws reconnects after a
   * normal close without asking {@link ReconnectPolicy.shouldRetry}).
   */
  nextDelay(): number | undefined {
    if (this.#attempts >= this.#options.limit && !this.#renewBeforeConnecting) return undefined;
    this.#attempts += 1;
    return backoffDelay(this.#attempts, this.#options, this.#random());
  }

  /** Whether the connection being made must renew the token first; answers `true` once per refusal. */
  takeRenewal(): boolean {
    const renew = this.#renewBeforeConnecting;
    this.#renewBeforeConnecting = false;
    return renew;
  }

  /** The server accepted a connection: the attempts count from 1 again, and a later refusal may be renewed. */
  connected(): void {
    this.#attempts = 0;
    this.#renewedSinceConnected = false;
  }
}
