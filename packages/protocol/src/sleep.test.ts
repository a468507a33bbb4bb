import { afterEach, describe, expect, it, vi } from "vitest";
import { sleep } from "./sleep";

afterEach(() => {
  vi.useRealTimers();
});

describe("sleep", () => {
  it("waits, and clears its timer when the signal aborts", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(1_000, controller.signal).catch((e: unknown) => e);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort("stop");
    expect(await waiting).toBe("stop");
    expect(vi.getTimerCount()).toBe(0);
    const done = sleep(10);
    await vi.advanceTimersByTimeAsync(10);
    await expect(done).resolves.toBeUndefined();
    await expect(sleep(10, AbortSignal.abort("already"))).rejects.toBe("already");
  });
});
