import { resolveBackoffOptions } from "../http/retryOptions";

/**
 * How the WebSocket that GraphQL subscriptions share is reopened after it broke (the network dropped,
 * a reconnection was refused, the server went away): `ClientOptions.subscriptionRetry`, with the
 * defaults of `clientDefaults.subscriptionRetry`. Each wait is random, from 0 up to
 * `baseDelay · 2^(attempt − 1)`, that bound capped at `maxDelay` (exponential backoff with full jitter);
 * the count starts again once a connection is accepted.
 *
 * @example
 * const subscriptionRetry: SubscriptionRetryOptions = { limit: 5, baseDelay: 500, maxDelay: 10_000 };
 */
export interface SubscriptionRetryOptions {
  /**
   * How many reconnections are tried in a row; after the last one fails, the subscriptions end with a
   * `NetworkError`. `0` never reconnects after a failure. Default 10, at most 100.
   */
  limit: number;
  /** Milliseconds: the longest wait before the first reconnection; doubled for each further one. Default 1 000. */
  baseDelay: number;
  /** Milliseconds: the longest wait before any reconnection. Default 30 000. */
  maxDelay: number;
}

/** The most reconnections in a row `subscriptionRetry.limit` may ask for. */
export const maxSubscriptionRetryLimit = 100;

/** The defaults of {@link SubscriptionRetryOptions} (`clientDefaults.subscriptionRetry`). */
export const defaultSubscriptionRetryOptions: Readonly<SubscriptionRetryOptions> = Object.freeze({
  limit: 10,
  baseDelay: 1_000,
  maxDelay: 30_000,
});

/**
 * Checks `ClientOptions.subscriptionRetry` and fills in the defaults of
 * {@link defaultSubscriptionRetryOptions}: `false` (no reconnection after a failure) stays `false`,
 * `undefined` takes the defaults, an object may give some of the fields.
 *
 * @throws {TypeError} when it is neither `false` nor an object, `limit` is not an integer from 0 to 100,
 *   or a delay is not a non-negative number of milliseconds (at most 2^31 − 1).
 * @example
 * resolveSubscriptionRetryOptions({ limit: 3 }); // { limit: 3, baseDelay: 1000, maxDelay: 30000 }
 */
export function resolveSubscriptionRetryOptions(value: unknown): Readonly<SubscriptionRetryOptions> | false {
  return resolveBackoffOptions(
    value,
    defaultSubscriptionRetryOptions,
    "subscriptionRetry",
    maxSubscriptionRetryLimit,
  );
}
