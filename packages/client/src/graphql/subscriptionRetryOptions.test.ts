import { describe, expect, it } from "vitest";
import { clientDefaults, resolveClientOptions } from "../options/resolveClientOptions";
import {
  defaultSubscriptionRetryOptions,
  maxSubscriptionRetryLimit,
  resolveSubscriptionRetryOptions,
} from "./subscriptionRetryOptions";

describe("resolveSubscriptionRetryOptions", () => {
  it("takes the defaults (clientDefaults.subscriptionRetry), frozen", () => {
    expect(clientDefaults.subscriptionRetry).toBe(defaultSubscriptionRetryOptions);
    expect(clientDefaults.subscriptionRetry).toEqual({ limit: 10, baseDelay: 1_000, maxDelay: 30_000 });
    expect(Object.isFrozen(clientDefaults.subscriptionRetry)).toBe(true);
    expect(resolveClientOptions({}).subscriptionRetry).toBe(defaultSubscriptionRetryOptions);
  });

  it("fills in the fields not given, keeps false, and ignores the HTTP-only maxRetryAfter", () => {
    expect(resolveSubscriptionRetryOptions({ maxDelay: 50 })).toEqual({
      limit: 10,
      baseDelay: 1_000,
      maxDelay: 50,
    });
    expect(resolveSubscriptionRetryOptions({ limit: 100, baseDelay: 0, maxDelay: 0 })).toEqual({
      limit: 100,
      baseDelay: 0,
      maxDelay: 0,
    });
    expect(Object.isFrozen(resolveSubscriptionRetryOptions({ limit: 1 }))).toBe(true);
    expect(resolveSubscriptionRetryOptions(false)).toBe(false);
    expect(resolveClientOptions({ subscriptionRetry: false }).subscriptionRetry).toBe(false);
    expect(resolveSubscriptionRetryOptions({ maxRetryAfter: 5 })).toEqual(defaultSubscriptionRetryOptions);
  });

  it.each<[string, unknown]>([
    ["true", true],
    ["null", null],
    ["an array", [3]],
    ["a negative limit", { limit: -1 }],
    ["a fractional limit", { limit: 2.5 }],
    ["a limit above the most", { limit: maxSubscriptionRetryLimit + 1 }],
    ["a negative baseDelay", { baseDelay: -1 }],
    ["an endless maxDelay", { maxDelay: Number.POSITIVE_INFINITY }],
  ])("refuses %s with a TypeError, in new Client too", (_, subscriptionRetry) => {
    expect(() => resolveSubscriptionRetryOptions(subscriptionRetry)).toThrow(TypeError);
    expect(() => resolveClientOptions({ subscriptionRetry: subscriptionRetry as false })).toThrow(
      /^Client: subscriptionRetry/,
    );
  });
});
