import { sleep } from "@kontist-auth/protocol";
import { NetworkError } from "../errors/NetworkError";
import { TimeoutError } from "../errors/TimeoutError";
import { backoffDelay, type RetryOptions } from "./retryOptions";
import type { TransportResponse } from "./Transport";

/**
 * Whether an answer's status may be retried on an idempotent request: 429 Too Many Requests and every
 * 5xx (the server failed, is overloaded or down, or a gateway before it is).
 *
 * @example
 * isRetryableStatus(503); // true
 * isRetryableStatus(404); // false
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Whether a failure of one attempt may be retried on an idempotent request: no answer at all
 * ({@link NetworkError}: refused, reset, broken off) or none in time ({@link TimeoutError}). Everything
 * else (a redirect, a caller's abort) is final.
 *
 * @example
 * isRetryableFailure(new TimeoutError("GET /api/user/mfa/challenges", 10_000)); // true
 */
export function isRetryableFailure(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof TimeoutError;
}

/** One attempt's outcome: an answer, or the error it failed with. */
export type Outcome = { response: TransportResponse } | { error: unknown };

/**
 * Sends an idempotent request with `attempt` and sends it again, up to `options.limit` times, while the
 * outcome is a retryable failure ({@link isRetryableFailure}) or status ({@link isRetryableStatus}).
 * Before each retry it waits: the answer's `Retry-After` (its `retryAfter`) when it has one, else
 * {@link backoffDelay}. An answer whose `Retry-After` exceeds `options.maxRetryAfter` is returned at once
 * (the caller's processing turns it into its `HttpError`), and so is the last attempt's answer; the last
 * attempt's failure is thrown. With `options` `false`, `attempt` runs once.
 *
 * @param signal - the caller's signal: when it aborts, a wait ends at once with its `reason`, and nothing
 *   is sent again.
 * @param random - a number in [0, 1) for each backoff; default `Math.random`.
 * @param onRetry - called as each retry is sent, after its wait: its number (from 1), the wait, and
 *   the outcome it retries.
 * @returns the answer of the last attempt.
 * @throws the failure of the last attempt ({@link NetworkError}, {@link TimeoutError}), any failure that
 *   is not retried, or the `reason` of `signal` when it aborts.
 * @example
 * import { clientDefaults } from "../options/resolveClientOptions";
 * import { Transport } from "./Transport";
 *
 * const transport = new Transport({ baseUrl: clientDefaults.baseUrl, timeout: clientDefaults.timeout });
 * const request = { method: "GET", path: "/api/user/mfa/challenges" } as const;
 * const response = await sendWithRetry(() => transport.send(request), clientDefaults.retry, undefined);
 */
export async function sendWithRetry(
  attempt: () => Promise<TransportResponse>,
  options: Readonly<RetryOptions> | false,
  signal: AbortSignal | undefined,
  random: () => number = Math.random,
  onRetry?: (retry: number, delayMs: number, outcome: Outcome) => void,
): Promise<TransportResponse> {
  for (let retry = 1; ; retry++) {
    const outcome = await settle(attempt);
    const wait = options === false ? undefined : waitBeforeRetry(outcome, retry, options, signal, random);
    if (wait === undefined) {
      if ("response" in outcome) return outcome.response;
      throw outcome.error;
    }
    await sleep(wait, signal);
    onRetry?.(retry, wait, outcome);
  }
}

async function settle(attempt: () => Promise<TransportResponse>): Promise<Outcome> {
  try {
    return { response: await attempt() };
  } catch (error) {
    return { error };
  }
}

/** The milliseconds to wait before retry number `retry`, or `undefined` when the outcome is final. */
function waitBeforeRetry(
  outcome: Outcome,
  retry: number,
  options: Readonly<RetryOptions>,
  signal: AbortSignal | undefined,
  random: () => number,
): number | undefined {
  if (retry > options.limit || signal?.aborted) return undefined;
  if ("error" in outcome) {
    return isRetryableFailure(outcome.error) ? backoffDelay(retry, options, random()) : undefined;
  }
  const { status, retryAfter } = outcome.response;
  if (!isRetryableStatus(status)) return undefined;
  if (retryAfter === undefined) return backoffDelay(retry, options, random());
  return retryAfter <= options.maxRetryAfter ? retryAfter : undefined;
}
