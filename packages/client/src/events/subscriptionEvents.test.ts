import { describe, expect, it, vi } from "vitest";
import {
  confirmedClient,
  network,
  record,
  sandboxWith,
  sockets,
  subscribed,
  subscriptionTests,
} from "../../test/subscriptions";
import type { ClientEvent } from "./ClientEvent";

// subscription.reconnected, from the shared WebSocket reopened against the sandbox: after the network
// dropped it (and a reconnection was refused), and after the sandbox refused an expired token (4403).

const context = subscriptionTests();
const { ended, closers } = context;

/** An `onEvent` that records what it gets. */
function recorder() {
  const events: ClientEvent[] = [];
  return { events, onEvent: (event: ClientEvent) => void events.push(event) };
}

describe("subscription.reconnected", () => {
  it("tells each reconnection after a drop: its attempt, its wait and the close code", async () => {
    const { events, onEvent } = recorder();
    const subscriptionRetry = { limit: 5, baseDelay: 20, maxDelay: 40 };
    const { client } = await confirmedClient(context.sandbox, { subscriptionRetry, onEvent });
    record(ended, client);
    await subscribed(() => sockets[0]);
    expect(events).toEqual([]);
    network.refusing = 1;
    sockets[0]?.terminate(); // the network dropped it: no close frame (1006)

    await subscribed(() => (sockets.length === 3 ? sockets[2] : undefined));
    expect(sockets.map((socket) => socket.refused)).toEqual([false, true, false]);
    await vi.waitFor(() =>
      expect(events).toEqual([
        { type: "subscription.reconnected", attempt: 1, delayMs: expect.any(Number), closeCode: 1006 },
        { type: "subscription.reconnected", attempt: 2, delayMs: expect.any(Number), closeCode: 1006 },
      ]),
    );
    const [first, second] = events as { delayMs: number }[];
    expect(first?.delayMs).toBeLessThan(20);
    expect(second?.delayMs).toBeLessThan(40);
  });

  it("after a refused token (4403): the renewal's events, then the reconnection with 4403", async () => {
    // Tokens of 2 s, refreshLeeway 0: the client renews only because the sandbox closed with 4403.
    const shortLived = await sandboxWith(closers, { accessTokenTtl: 2 });
    const { events, onEvent } = recorder();
    const subscriptionRetry = { baseDelay: 20, maxDelay: 20 };
    const { client } = await confirmedClient(shortLived, { refreshLeeway: 0, subscriptionRetry, onEvent });
    record(ended, client);
    await subscribed(() => sockets[0]);

    await subscribed(() => sockets[1]);
    expect(sockets[0]?.closeCode).toBe(4403);
    await vi.waitFor(() =>
      expect(events).toEqual([
        { type: "renewal.started" },
        { type: "renewal.succeeded", durationMs: expect.any(Number) },
        { type: "subscription.reconnected", attempt: 1, delayMs: expect.any(Number), closeCode: 4403 },
      ]),
    );
  });
});
