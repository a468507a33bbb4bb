import { describe, expect, it } from "vitest";
import { NoTokenError } from "../errors/NoTokenError";
import { isSocketErrorEvent, ReconnectPolicy } from "./ReconnectPolicy";
import { defaultSubscriptionRetryOptions } from "./subscriptionRetryOptions";

const close = (code: number) => ({ code, reason: "" });
/** A WebSocket error event, as ws reports a refused connection. */
const refused = () => Object.assign(new Event("error"), { message: "connect ECONNREFUSED 127.0.0.1:9" });
const options = { limit: 3, baseDelay: 100, maxDelay: 350 };

describe("ReconnectPolicy", () => {
  it("reconnects after a close or a socket error event, never after a token error or a thrown Error", () => {
    const policy = new ReconnectPolicy(options, () => true);
    expect(policy.shouldRetry(close(1006))).toBe(true);
    expect(policy.shouldRetry(close(1012))).toBe(true);
    expect(policy.shouldRetry(refused())).toBe(true);
    expect(isSocketErrorEvent(refused())).toBe(true);
    expect(policy.shouldRetry(new NoTokenError("GET /api/user"))).toBe(false);
    expect(policy.shouldRetry(new Error("First message cannot be of type next"))).toBe(false);
    expect(policy.shouldRetry("a string")).toBe(false);
    expect(policy.takeRenewal()).toBe(false);
  });

  it("waits a random time from 0 up to baseDelay · 2^(attempt − 1), capped at maxDelay (full jitter)", () => {
    const bounds = (random: number) => {
      const policy = new ReconnectPolicy(
        options,
        () => true,
        () => random,
      );
      return [1, 2, 3].map(() => policy.nextDelay());
    };
    expect(bounds(0)).toEqual([0, 0, 0]);
    expect(bounds(0.999_999)).toEqual([99, 199, 349]);
    expect(bounds(0.5)).toEqual([50, 100, 175]);
    // With Math.random: always within the bounds.
    for (let run = 0; run < 200; run++) {
      const policy = new ReconnectPolicy({ ...options, limit: 10 }, () => true);
      for (let attempt = 1; attempt <= 10; attempt++) {
        const delay = policy.nextDelay() ?? -1;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(options.maxDelay, options.baseDelay * 2 ** (attempt - 1)));
      }
    }
  });

  it("gives up on the failure after `limit` reconnections, and remembers it; a connection starts the count again", () => {
    const policy = new ReconnectPolicy(
      options,
      () => true,
      () => 0,
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      const failure = refused();
      expect(policy.shouldRetry(failure)).toBe(true);
      expect(policy.gaveUp(failure)).toBe(false);
      expect(policy.nextDelay()).toBe(0);
      expect(policy.attempts).toBe(attempt);
    }
    const last = refused();
    expect(policy.shouldRetry(last)).toBe(false);
    // graphql-ws asks once per subscription about the same failure: the same answer each time.
    expect(policy.shouldRetry(last)).toBe(false);
    expect(policy.gaveUp(last)).toBe(true);
    expect(policy.nextDelay()).toBeUndefined();

    policy.connected();
    expect(policy.attempts).toBe(0);
    expect(policy.shouldRetry(close(1006))).toBe(true);
  });

  it("false never reconnects after a failure, with the default delays", () => {
    const policy = new ReconnectPolicy(
      false,
      () => true,
      () => 0.999_999,
    );
    expect(policy.shouldRetry(close(1006))).toBe(false);
    expect(policy.shouldRetry(close(4403))).toBe(true);
    expect(policy.nextDelay()).toBe(defaultSubscriptionRetryOptions.baseDelay - 1);
  });

  it("after 4403 renews once before the next connection, after a backoff wait, and gives up on a second refusal in a row", () => {
    const policy = new ReconnectPolicy(
      options,
      () => true,
      () => 0.5,
    );
    const first = close(4403);
    expect(policy.shouldRetry(first)).toBe(true);
    expect(policy.shouldRetry(first)).toBe(true);
    expect(policy.nextDelay()).toBe(50);
    expect(policy.takeRenewal()).toBe(true);
    expect(policy.takeRenewal()).toBe(false);
    expect(policy.shouldRetry(close(4403))).toBe(false);
    policy.connected();
    expect(policy.shouldRetry(close(4403))).toBe(true);
  });

  it("renews after 4403 even when the network attempts are used up, but only once", () => {
    const policy = new ReconnectPolicy(
      { ...options, limit: 0 },
      () => true,
      () => 0,
    );
    expect(policy.shouldRetry(close(4403))).toBe(true);
    expect(policy.nextDelay()).toBe(0);
    expect(policy.takeRenewal()).toBe(true);
    expect(policy.shouldRetry(refused())).toBe(false);
  });

  it("does not retry a 4403 when the token cannot be renewed", () => {
    const policy = new ReconnectPolicy(options, () => false);
    expect(policy.shouldRetry(close(4403))).toBe(false);
    expect(policy.takeRenewal()).toBe(false);
    expect(policy.gaveUp(close(4403))).toBe(false);
  });
});
