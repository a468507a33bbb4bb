import { describe, expect, it } from "vitest";
import { defaultLockTimeoutMs, defaultLockTtlMs, resolveLockOptions } from "./resolveLockOptions";

describe("resolveLockOptions", () => {
  it("defaults to a 30 s TTL and a 40 s timeout, so waiters outlast a dead holder", () => {
    expect(resolveLockOptions()).toEqual({ ttlMs: 30_000, timeoutMs: 40_000 });
    expect(defaultLockTimeoutMs).toBeGreaterThan(defaultLockTtlMs);
    expect(resolveLockOptions({ ttlMs: 5, timeoutMs: 0 })).toEqual({ ttlMs: 5, timeoutMs: 0 });
  });

  it.each([
    { ttlMs: 0 },
    { ttlMs: Number.NaN },
    { ttlMs: 2 ** 31 },
    { timeoutMs: -1 },
    { timeoutMs: Number.NaN },
    { ttlMs: "1000" as unknown as number },
  ])("refuses %o", (options) => {
    expect(() => resolveLockOptions(options)).toThrow(TypeError);
  });
});
