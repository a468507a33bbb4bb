import { assertDelay } from "../async/assertDelay";

/**
 * How the client retries an idempotent request (a `GET`, a GraphQL document of queries only) that got
 * no answer (a network failure, a timeout) or an HTTP 429 or 5xx: `ClientOptions.retry`, with the
 * defaults of `clientDefaults.retry`. Token grants, `POST`/`PATCH`/`DELETE` requests and GraphQL mutations
 * are never retried.
 *
 * @example
 * const retry: RetryOptions = { limit: 3, baseDelay: 100, maxDelay: 2_000, maxRetryAfter: 30_000 };
 */
export interface RetryOptions {
  /** How many times a request is sent again after the first attempt; `0` never. Default 2. */
  limit: number;
  /**
   * Milliseconds: the longest wait before the first retry; each further retry doubles it, up to
   * `maxDelay`. The wait is random between 0 and that bound (exponential backoff with full jitter).
   * Default 200.
   */
  baseDelay: number;
  /** Milliseconds: the longest backoff wait. Default 5 000. */
  maxDelay: number;
  /**
   * Milliseconds: the longest `Retry-After` (seconds or an HTTP-date) the client waits for; an answer
   * asking for a longer wait is not retried but thrown at once as its typed error. Default 60 000.
   */
  maxRetryAfter: number;
}

/** The most retries `limit` may ask for: more would hammer a server that is already in trouble. */
export const maxRetryLimit = 10;

/** The defaults of {@link RetryOptions} (`clientDefaults.retry`). */
export const defaultRetryOptions: Readonly<RetryOptions> = Object.freeze({
  limit: 2,
  baseDelay: 200,
  maxDelay: 5_000,
  maxRetryAfter: 60_000,
});

/**
 * Checks `ClientOptions.retry` and fills in the defaults of {@link defaultRetryOptions}: `false` turns
 * retries off, `undefined` takes the defaults, an object may give some of the fields.
 *
 * @throws {TypeError} when `retry` is neither `false` nor an object, `limit` is not an integer from 0 to
 *   10, or a delay is not a non-negative number of milliseconds (at most 2^31 − 1).
 * @example
 * resolveRetryOptions({ limit: 5 }); // { limit: 5, baseDelay: 200, maxDelay: 5000, maxRetryAfter: 60000 }
 * resolveRetryOptions(false); // false
 */
export function resolveRetryOptions(retry: unknown): Readonly<RetryOptions> | false {
  return resolveBackoffOptions(retry, defaultRetryOptions, "retry", maxRetryLimit);
}

/**
 * Checks an option shaped like `ClientOptions.retry` (`false`, or some of the fields of `defaults`: a
 * `limit` and delays in milliseconds) and fills in `defaults`: `false` stays `false`, `undefined` is
 * `defaults`, an object gets the fields it leaves out from `defaults` (frozen).
 *
 * @param name - the option's name, e.g. `subscriptionRetry`, for the messages.
 * @param maxLimit - the largest `limit` allowed.
 * @throws {TypeError} when `value` is neither `false` nor an object, `limit` is not an integer from 0 to
 *   `maxLimit`, or another field is not a non-negative number of milliseconds (at most 2^31 − 1).
 * @example
 * resolveBackoffOptions({ limit: 3 }, { limit: 10, baseDelay: 1_000, maxDelay: 30_000 }, "subscriptionRetry", 100);
 */
export function resolveBackoffOptions<Options extends { limit: number }>(
  value: unknown,
  defaults: Readonly<Options>,
  name: string,
  maxLimit: number,
): Readonly<Options> | false {
  if (value === false) return false;
  if (value === undefined) return defaults;
  const fields = Object.keys(defaults);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Client: ${name} must be false or an object { ${fields.join("?, ")}? }.`);
  }
  const resolved: Record<string, unknown> = { ...defaults };
  for (const field of fields) {
    const given = (value as Record<string, unknown>)[field];
    if (given === undefined) continue;
    if (field !== "limit") assertDelay(given, `Client: ${name}.${field}`, true);
    else if (!Number.isInteger(given) || (given as number) < 0 || (given as number) > maxLimit) {
      throw new TypeError(`Client: ${name}.limit must be an integer from 0 to ${maxLimit}.`);
    }
    resolved[field] = given;
  }
  return Object.freeze(resolved) as Readonly<Options>;
}

/**
 * The wait before retry number `retry` (from 1) without a `Retry-After`: a random duration from 0 up to
 * `baseDelay · 2^(retry − 1)`, that bound capped at `maxDelay` (full jitter, so clients that failed
 * together do not come back together).
 *
 * @param random - a number in [0, 1); default `Math.random()`.
 * @example
 * backoffDelay(3, { baseDelay: 200, maxDelay: 5_000 }); // 0 to 799 ms
 */
export function backoffDelay(
  retry: number,
  options: Pick<RetryOptions, "baseDelay" | "maxDelay">,
  random: number = Math.random(),
): number {
  const bound = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.max(0, retry - 1));
  return Math.floor(random * bound);
}

/** An IMF-fixdate, or RFC 850's or asctime's obsolete date (RFC 9110 §5.6.7): a day or month name in it. */
const httpDateShape = /^[A-Za-z]{3,9},? [\dA-Za-z :-]+$/;

/**
 * The milliseconds a `Retry-After` header asks to wait (RFC 9110 §10.2.3): its delay in seconds, or
 * the time until its HTTP-date, measured from the answer's `Date` when it has one (so a skewed local
 * clock does not matter), else from `now`. A date in the past is 0.
 *
 * @returns the wait, or `undefined` when there is no header or it is neither form.
 * @example
 * parseRetryAfter("3"); // 3000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", "Wed, 21 Oct 2015 07:28:00 GMT"); // 5000
 * parseRetryAfter("soon"); // undefined
 */
export function parseRetryAfter(
  value: string | null | undefined,
  date?: string | null,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!httpDateShape.test(text)) return undefined;
  // asctime's form names no zone, but is in GMT too (RFC 9110 §5.6.7).
  const at = Date.parse(/GMT$/i.test(text) ? text : `${text} GMT`);
  if (!Number.isFinite(at)) return undefined;
  const sent = date ? Date.parse(date) : Number.NaN;
  return Math.max(0, at - (Number.isFinite(sent) ? sent : now));
}
