import { describe, expect, it } from "vitest";
import { clientDefaults, resolveClientOptions } from "../options/resolveClientOptions";
import {
  backoffDelay,
  defaultRetryOptions,
  maxRetryLimit,
  parseRetryAfter,
  resolveRetryOptions,
} from "./retryOptions";

describe("resolveRetryOptions", () => {
  it("takes the defaults (clientDefaults.retry), frozen", () => {
    expect(clientDefaults.retry).toBe(defaultRetryOptions);
    expect(clientDefaults.retry).toEqual({
      limit: 2,
      baseDelay: 200,
      maxDelay: 5_000,
      maxRetryAfter: 60_000,
    });
    expect(Object.isFrozen(clientDefaults.retry)).toBe(true);
    expect(resolveRetryOptions(undefined)).toBe(defaultRetryOptions);
    expect(resolveClientOptions({}).retry).toBe(defaultRetryOptions);
  });

  it("fills in the fields not given, and turns retries off with false", () => {
    expect(resolveRetryOptions({ limit: 5 })).toEqual({ ...defaultRetryOptions, limit: 5 });
    expect(resolveRetryOptions({ limit: 0, baseDelay: 0, maxDelay: 0, maxRetryAfter: 0 })).toEqual({
      limit: 0,
      baseDelay: 0,
      maxDelay: 0,
      maxRetryAfter: 0,
    });
    expect(resolveRetryOptions(false)).toBe(false);
    expect(resolveClientOptions({ retry: false }).retry).toBe(false);
    expect(resolveClientOptions({ retry: { maxRetryAfter: 1_000 } }).retry).toMatchObject({
      limit: 2,
      maxRetryAfter: 1_000,
    });
  });

  it.each<[string, unknown]>([
    ["true", true],
    ["a number", 3],
    ["null", null],
    ["an array", [2]],
    ["a negative limit", { limit: -1 }],
    ["a fractional limit", { limit: 1.5 }],
    ["a limit above the most", { limit: maxRetryLimit + 1 }],
    ["a limit as a string", { limit: "2" }],
    ["a negative baseDelay", { baseDelay: -1 }],
    ["a NaN maxDelay", { maxDelay: Number.NaN }],
    ["an endless maxRetryAfter", { maxRetryAfter: Number.POSITIVE_INFINITY }],
  ])("refuses %s with a TypeError, in new Client too", (_, retry) => {
    expect(() => resolveRetryOptions(retry)).toThrow(TypeError);
    expect(() => resolveClientOptions({ retry: retry as false })).toThrow(/Client: retry/);
  });
});

describe("backoffDelay", () => {
  const options = { baseDelay: 200, maxDelay: 1_000 };

  it("is random from 0 up to baseDelay doubled per retry, capped at maxDelay (full jitter)", () => {
    const bounds = [1, 2, 3, 4, 5, 30].map((retry) => backoffDelay(retry, options, 0.999_999));
    expect(bounds).toEqual([199, 399, 799, 999, 999, 999]);
    expect([1, 2, 3, 30].map((retry) => backoffDelay(retry, options, 0))).toEqual([0, 0, 0, 0]);
    expect(backoffDelay(2, options, 0.5)).toBe(200);
  });

  it("stays within its bound for Math.random", () => {
    for (let retry = 1; retry <= 12; retry++) {
      const bound = Math.min(options.maxDelay, options.baseDelay * 2 ** (retry - 1));
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(retry, options);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(bound);
      }
    }
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");

  it("reads a delay in seconds", () => {
    expect(parseRetryAfter("0", null, now)).toBe(0);
    expect(parseRetryAfter("3", null, now)).toBe(3_000);
    expect(parseRetryAfter(" 120 ", null, now)).toBe(120_000);
  });

  it("reads an HTTP-date, from the answer's Date when it has one, else from now", () => {
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:05 GMT", null, now)).toBe(5_000);
    // The server's clock is 1 h ahead of ours: its Date counts, not ours.
    const date = "Sat, 01 Mar 2025 13:00:00 GMT";
    expect(parseRetryAfter("Sat, 01 Mar 2025 13:00:02 GMT", date, now)).toBe(2_000);
    // RFC 850's and asctime's obsolete forms.
    expect(parseRetryAfter("Saturday, 01-Mar-25 12:00:07 GMT", null, now)).toBe(7_000);
    expect(parseRetryAfter("Sat Mar  1 12:00:09 2025", null, now)).toBe(9_000);
    // A date in the past: no wait.
    expect(parseRetryAfter("Sat, 01 Mar 2025 11:00:00 GMT", null, now)).toBe(0);
  });

  it("ignores a missing or malformed header", () => {
    for (const value of [undefined, null, "", "soon", "-1", "1.5", "1e3", "0x10", "Infinity"]) {
      expect(parseRetryAfter(value, null, now)).toBeUndefined();
    }
  });
});
