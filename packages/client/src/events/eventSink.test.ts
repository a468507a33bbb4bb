import { afterEach, describe, expect, it, vi } from "vitest";
import type { ClientEvent } from "./ClientEvent";
import { eventSink } from "./eventSink";

// The sink alone: when it makes events at all, and that they arrive, in order, once the code that
// delivers them has loaded.

afterEach(() => {
  vi.unstubAllGlobals();
});

const retried = (attempt: number) =>
  [{ method: "GET", path: "/api/graphql" }, attempt, 5, { response: { status: 503 } }] as const;

describe("eventSink", () => {
  it("delivers what is emitted, shaped, in order, a moment later", async () => {
    const received: ClientEvent[] = [];
    const emit = eventSink((event) => void received.push(event));
    emit?.("retry", ...retried(1));
    emit?.("unauthorized", { method: "GET", path: "/api/user/mfa/challenges/8c1e2f4a-9b7d" });
    emit?.("retry", ...retried(2));
    expect(received).toEqual([]); // never inside the client's own work
    await vi.waitFor(() => expect(received).toHaveLength(3));
    expect(received).toEqual([
      { type: "request.retried", method: "GET", path: "/api/graphql", attempt: 1, delayMs: 5, status: 503 },
      { type: "request.unauthorizedRetried", method: "GET", path: "/api/user/mfa/challenges/{id}" },
      { type: "request.retried", method: "GET", path: "/api/graphql", attempt: 2, delayMs: 5, status: 503 },
    ]);
  });

  it("makes no events where nobody can listen: no onEvent, and no process (a browser)", () => {
    vi.stubGlobal("process", undefined); // put back at once: the test runner needs it
    let sinks: unknown[];
    try {
      sinks = [eventSink(undefined), eventSink(() => {})];
    } finally {
      vi.unstubAllGlobals();
    }
    expect(sinks[0]).toBeUndefined();
    expect(typeof sinks[1]).toBe("function");
    // In Node, the diagnostics channels can listen.
    expect(typeof eventSink(undefined)).toBe("function");
  });
});
