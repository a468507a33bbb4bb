import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ClientEvent } from "./ClientEvent";
import { deliverEvent } from "./deliverEvent";

// Delivery alone: each kind shaped into its events, timed ones included; onEvent and the diagnostics
// channel of the type; listeners that fail; a runtime without `process.getBuiltinModule`.

const channel = "kontist-auth:request:unauthorizedRetried";
const request = { method: "POST", path: "/api/user/devices/8c1e/verify?x=1" };
const retriedAfter401 = {
  type: "request.unauthorizedRetried",
  method: "POST",
  path: "/api/user/devices/{id}/verify",
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

/** Collects the events delivered to `onEvent`. */
function recorder() {
  const events: ClientEvent[] = [];
  return { events, onEvent: (event: ClientEvent) => void events.push(event) };
}

describe("deliverEvent", () => {
  it("times a renewal from its start until its promise settles, and tells how it failed", async () => {
    const { events, onEvent } = recorder();
    deliverEvent(onEvent, performance.now(), "renewal", new Promise((resolve) => setTimeout(resolve, 60)));
    expect(events).toEqual([{ type: "renewal.started" }]);
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[1]).toEqual({ type: "renewal.succeeded", durationMs: expect.any(Number) });
    expect((events[1] as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(55);

    const refused = Object.assign(new Error("invalid_grant: refresh token rt-secret is revoked"), {
      code: "OAUTH2_ERROR",
      status: 400,
      error: "invalid_grant",
    });
    deliverEvent(onEvent, performance.now(), "renewal", Promise.reject(refused));
    await vi.waitFor(() => expect(events).toHaveLength(4));
    expect(events[3]).toEqual({
      type: "renewal.failed",
      durationMs: expect.any(Number),
      code: "OAUTH2_ERROR",
      status: 400,
      oauthError: "invalid_grant",
    });
    expect(JSON.stringify(events)).not.toContain("rt-secret");
  });

  it("times a wait for the lock, with it or without", async () => {
    const { events, onEvent } = recorder();
    deliverEvent(onEvent, performance.now(), "lock", new Promise((resolve) => setTimeout(resolve, 40)));
    deliverEvent(onEvent, performance.now(), "lock", Promise.reject(new Error("TOKEN_STORE_LOCK_TIMEOUT")));
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events).toEqual([
      { type: "store.lockWaited", waitMs: expect.any(Number), acquired: false },
      { type: "store.lockWaited", waitMs: expect.any(Number), acquired: true },
    ]);
    expect((events[1] as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(35);
  });

  it("shapes a retry's cause: the status retried, or the failure's code", () => {
    const { events, onEvent } = recorder();
    const timeout = Object.assign(new Error("timed out"), { code: "TIMEOUT" });
    deliverEvent(onEvent, performance.now(), "retry", request, 1, 7, { response: { status: 429 } });
    deliverEvent(onEvent, performance.now(), "retry", request, 2, 9, { error: timeout });
    deliverEvent(onEvent, performance.now(), "reconnect", 3, 120, undefined);
    const path = "/api/user/devices/{id}/verify";
    expect(events).toEqual([
      { type: "request.retried", method: "POST", path, attempt: 1, delayMs: 7, status: 429 },
      { type: "request.retried", method: "POST", path, attempt: 2, delayMs: 9, code: "TIMEOUT" },
      { type: "subscription.reconnected", attempt: 3, delayMs: 120, closeCode: undefined },
    ]);
  });

  it("hands each event, frozen, to onEvent and to the diagnostics channel of its type", () => {
    const { events, onEvent } = recorder();
    const published: unknown[] = [];
    const onMessage = (message: unknown) => void published.push(message);
    subscribe(channel, onMessage);
    try {
      deliverEvent(onEvent, performance.now(), "unauthorized", request);
      deliverEvent(undefined, performance.now(), "unauthorized", request);
    } finally {
      unsubscribe(channel, onMessage);
    }
    expect(events).toEqual([retriedAfter401]);
    expect(published).toEqual([retriedAfter401, retriedAfter401]);
    expect(published[0]).toBe(events[0]);
    expect(Object.isFrozen(events[0])).toBe(true);
  });

  it("hands what onEvent throws, or rejects with, to reportError, and publishes all the same", async () => {
    const reportError = vi.fn();
    vi.stubGlobal("reportError", reportError);
    const thrown = new Error("a broken listener");
    const rejected = new Error("a broken async listener");
    const published: unknown[] = [];
    const onMessage = (message: unknown) => void published.push(message);
    subscribe(channel, onMessage);
    try {
      expect(() =>
        deliverEvent(
          () => {
            throw thrown;
          },
          performance.now(),
          "unauthorized",
          request,
        ),
      ).not.toThrow();
      deliverEvent(async () => Promise.reject(rejected), performance.now(), "unauthorized", request);
      await vi.waitFor(() => expect(reportError).toHaveBeenCalledTimes(2));
    } finally {
      unsubscribe(channel, onMessage);
    }
    expect(reportError.mock.calls).toEqual([[thrown], [rejected]]);
    expect(published).toHaveLength(2);
  });

  it("drops a listener's error where there is no reportError (Node)", () => {
    vi.stubGlobal("reportError", undefined);
    const broken = () => {
      throw new Error("a broken listener");
    };
    expect(() => deliverEvent(broken, performance.now(), "unauthorized", request)).not.toThrow();
  });

  it("works where there is no diagnostics_channel (no process.getBuiltinModule)", async () => {
    const { getBuiltinModule } = process;
    Object.assign(process, { getBuiltinModule: undefined });
    let fresh: typeof deliverEvent;
    try {
      vi.resetModules();
      ({ deliverEvent: fresh } = await import("./deliverEvent"));
    } finally {
      Object.assign(process, { getBuiltinModule });
    }
    const { events, onEvent } = recorder();
    const published: unknown[] = [];
    const onMessage = (message: unknown) => void published.push(message);
    subscribe(channel, onMessage);
    try {
      fresh(onEvent, performance.now(), "unauthorized", request);
    } finally {
      unsubscribe(channel, onMessage);
    }
    expect(events).toEqual([retriedAfter401]);
    expect(published).toEqual([]);
  });

  it("finds diagnostics_channel through process.getBuiltinModule on this Node", () => {
    expect(typeof process.getBuiltinModule).toBe("function");
    expect(typeof process.getBuiltinModule("node:diagnostics_channel").channel).toBe("function");
  });
});
