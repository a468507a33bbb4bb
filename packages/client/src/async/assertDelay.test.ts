import { describe, expect, it } from "vitest";
import { assertDelay, maxDelay } from "./assertDelay";

describe("assertDelay", () => {
  it("accepts what a timer can wait, and refuses the rest with a TypeError naming the option", () => {
    expect(maxDelay).toBe(2 ** 31 - 1);
    for (const ms of [1, 0.5, 3_000, maxDelay])
      expect(() => assertDelay(ms, "x: pollInterval")).not.toThrow();
    expect(() => assertDelay(0, "x: leeway", true)).not.toThrow();
    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, maxDelay + 1, "3000", undefined]) {
      expect(() => assertDelay(ms, "x: pollInterval")).toThrow(
        new TypeError(`x: pollInterval must be a positive number of milliseconds, at most ${maxDelay}.`),
      );
    }
    expect(() => assertDelay(-1, "x: leeway", true)).toThrow(/x: leeway must be a non-negative number/);
  });
});
