import { describe, expect, it } from "vitest";
import { InProcessLocks } from "./InProcessLocks";

describe("InProcessLocks", () => {
  it("wakes a waiter when the lock is released, without polling", async () => {
    const locks = new InProcessLocks();
    const held = await locks.acquire("k", { ttlMs: 60_000 });
    const waiting = locks.acquire("k", { ttlMs: 1_000, timeoutMs: 60_000 });
    setTimeout(() => void held.release(), 20);
    const started = Date.now();
    await (await waiting).release();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("gives a lapsed lock to a waiter exactly at its expiry", async () => {
    const locks = new InProcessLocks();
    const started = Date.now();
    await locks.acquire("k", { ttlMs: 100 });
    await locks.acquire("k", { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(99);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
