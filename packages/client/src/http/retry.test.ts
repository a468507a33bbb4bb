import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NetworkError } from "../errors/NetworkError";
import { TimeoutError } from "../errors/TimeoutError";
import { UnexpectedRedirectError } from "../errors/UnexpectedRedirectError";
import { isRetryableFailure, isRetryableStatus, sendWithRetry } from "./retry";
import type { RetryOptions } from "./retryOptions";
import type { TransportResponse } from "./Transport";

// The retry loop alone, with fake timers (no socket here: the loopback tests are in
// idempotentRetries.test.ts). Each attempt's outcome is scripted; the waits are checked to the millisecond.

const source = "GET /api/user/mfa/challenges";
const answer = (status: number, retryAfter?: number): TransportResponse => ({
  status,
  text: "",
  source,
  secrets: [],
  retryAfter,
});
const options: RetryOptions = { limit: 3, baseDelay: 100, maxDelay: 300, maxRetryAfter: 2_000 };
/** `random` of 0.5: each backoff is half its bound, 50, 100, 150 ms. */
const half = () => 0.5;

/** An attempt that gives the scripted outcomes in turn (the last one again and again), counting its calls. */
function scripted(...outcomes: (TransportResponse | Error)[]) {
  const times: number[] = [];
  const attempt = async () => {
    const outcome = outcomes[Math.min(times.length, outcomes.length - 1)];
    times.push(Date.now());
    if (outcome instanceof Error) throw outcome;
    return outcome as TransportResponse;
  };
  return { attempt, times };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("sendWithRetry", () => {
  it("retries a 503 after backoffs of 50, 100 and 150 ms, then returns the last answer", async () => {
    const { attempt, times } = scripted(answer(503));
    const sent = sendWithRetry(attempt, options, undefined, half);
    await vi.advanceTimersByTimeAsync(49);
    expect(times).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(sent).resolves.toMatchObject({ status: 503 });
    expect(times).toEqual([0, 50, 150, 300]);
  });

  it("stops at the first answer that is not retried", async () => {
    for (const final of [200, 204, 400, 401, 403, 404, 409, 410]) {
      const { attempt, times } = scripted(answer(429), answer(final));
      const sent = sendWithRetry(attempt, options, undefined, half);
      await vi.advanceTimersByTimeAsync(1_000);
      await expect(sent).resolves.toMatchObject({ status: final });
      expect(times).toHaveLength(2);
    }
  });

  it("waits for Retry-After instead of the backoff, even past maxDelay, up to maxRetryAfter", async () => {
    const { attempt, times } = scripted(answer(429, 2_000), answer(503, 0), answer(200));
    const sent = sendWithRetry(attempt, options, undefined, half);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(times).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toEqual([0, 2_000]);
    await vi.advanceTimersByTimeAsync(1); // Retry-After: 0, a timer of 0 ms (1 ms, as Node's)
    await expect(sent).resolves.toMatchObject({ status: 200 });
    expect(times).toEqual([0, 2_000, 2_001]);
  });

  it("returns an answer asking to wait longer than maxRetryAfter at once", async () => {
    const { attempt, times } = scripted(answer(429, 2_001), answer(200));
    await expect(sendWithRetry(attempt, options, undefined, half)).resolves.toMatchObject({ status: 429 });
    expect(times).toEqual([0]);
  });

  it("retries a network error and a timeout, and throws the last attempt's failure", async () => {
    const failures = [new NetworkError(source, new Error("reset")), new TimeoutError(source, 10)];
    const { attempt, times } = scripted(...failures);
    const sent = sendWithRetry(attempt, options, undefined, half).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await sent).toBe(failures[1]);
    expect(times).toEqual([0, 50, 150, 300]);
  });

  it("throws any other failure at once", async () => {
    for (const failure of [new UnexpectedRedirectError(source, 302), new Error("a bug")]) {
      const { attempt, times } = scripted(failure, answer(200));
      await expect(sendWithRetry(attempt, options, undefined, half)).rejects.toBe(failure);
      expect(times).toEqual([0]);
    }
  });

  it("sends once with retries off (false) or a limit of 0", async () => {
    for (const off of [false, { ...options, limit: 0 }] as const) {
      const { attempt, times } = scripted(answer(503), answer(200));
      await expect(sendWithRetry(attempt, off, undefined, half)).resolves.toMatchObject({ status: 503 });
      expect(times).toEqual([0]);
    }
  });

  it("ends a wait at once when the signal aborts, with its reason, and sends nothing more", async () => {
    for (const first of [answer(429, 2_000), answer(503)]) {
      const { attempt, times } = scripted(first, answer(200));
      const controller = new AbortController();
      const sent = sendWithRetry(attempt, options, controller.signal, half).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10);
      const reason = new Error("cancelled");
      controller.abort(reason);
      expect(await sent).toBe(reason);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(times).toHaveLength(1);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it("does not retry a failure that came with an aborted signal", async () => {
    const controller = new AbortController();
    const timeout = new TimeoutError(source, 10);
    const attempt = vi.fn(async () => {
      controller.abort(timeout);
      throw timeout;
    });
    await expect(sendWithRetry(attempt, options, controller.signal, half)).rejects.toBe(timeout);
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});

describe("what is retried", () => {
  it("retries 429 and every 5xx, no other status", () => {
    const retried = Array.from({ length: 600 }, (_, status) => status).filter(isRetryableStatus);
    expect(retried).toEqual([429, ...Array.from({ length: 100 }, (_, i) => 500 + i)]);
  });

  it("retries network errors and timeouts, no other failure", () => {
    expect(isRetryableFailure(new NetworkError(source, undefined))).toBe(true);
    expect(isRetryableFailure(new TimeoutError(source, 1))).toBe(true);
    expect(isRetryableFailure(new UnexpectedRedirectError(source, 301))).toBe(false);
    expect(isRetryableFailure(new DOMException("aborted", "AbortError"))).toBe(false);
  });
});
