import { afterEach, describe, expect, it, vi } from "vitest";
import { ReconnectPolicy } from "./ReconnectPolicy";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const close = (code: number) => ({ code, reason: "" });

describe("ReconnectPolicy", () => {
  it("reconnects after a close, not after an error event", () => {
    const policy = new ReconnectPolicy(() => true);
    expect(policy.shouldRetry(close(1001))).toBe(true);
    expect(policy.shouldRetry(new Error("ECONNREFUSED"))).toBe(false);
    expect(policy.takeRenewal()).toBe(false);
  });

  it("after 4403 renews once, at once, and gives up on a second refusal in a row", async () => {
    const policy = new ReconnectPolicy(() => true);
    const first = close(4403);
    expect(policy.shouldRetry(first)).toBe(true);
    // graphql-ws asks once per subscription about the same close: the same answer each time.
    expect(policy.shouldRetry(first)).toBe(true);
    await expect(policy.retryWait(0)).resolves.toBeUndefined();
    expect(policy.takeRenewal()).toBe(true);
    expect(policy.takeRenewal()).toBe(false);
    expect(policy.shouldRetry(close(4403))).toBe(false);
    policy.connected();
    expect(policy.shouldRetry(close(4403))).toBe(true);
  });

  it("does not retry a 4403 when the token cannot be renewed", () => {
    const policy = new ReconnectPolicy(() => false);
    expect(policy.shouldRetry(close(4403))).toBe(false);
    expect(policy.takeRenewal()).toBe(false);
  });

  it("backs off 2^retries s plus 0.3–3 s after other closes", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const policy = new ReconnectPolicy(() => true);
    let done = false;
    void policy.retryWait(2).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(4_299);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });
});
