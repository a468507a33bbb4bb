import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { paths, sleep } from "@kontist-auth/protocol";
import { memoryStore } from "@kontist-auth/token-store";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type ClientSandbox, sandboxClient, startClientSandbox } from "../../test/sandbox";
import { Client } from "../Client";
import type { ClientEvent } from "./ClientEvent";

// Each event the client emits, from real work against the sandbox: renewals that succeed, fail or wait
// for another client's renewal, a 401 answered and retried, failures retried; and the same events on
// Node's diagnostics channels. Events come a moment after what they tell of: the checks wait for them.

const challengesRoute = "GET /api/user/mfa/challenges";
const tokenRoute = "POST /api/oauth/token";
const request = { method: "GET", path: paths.mfaChallenges } as const;
/** Quick retries: the first waits less than 10 ms, the second less than 20 ms. */
const retry = { baseDelay: 10, maxDelay: 20 };

/** Every event type, and the diagnostics channel each is published on. */
const eventChannels = {
  "renewal.started": "kontist-auth:renewal:started",
  "renewal.succeeded": "kontist-auth:renewal:succeeded",
  "renewal.failed": "kontist-auth:renewal:failed",
  "store.lockWaited": "kontist-auth:store:lockWaited",
  "request.unauthorizedRetried": "kontist-auth:request:unauthorizedRetried",
  "request.retried": "kontist-auth:request:retried",
  "subscription.reconnected": "kontist-auth:subscription:reconnected",
} as const satisfies Record<ClientEvent["type"], string>;

let sandbox: ClientSandbox;
beforeAll(async () => {
  sandbox = await startClientSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

/** An `onEvent` that records what it gets. */
function recorder() {
  const events: ClientEvent[] = [];
  return { events, onEvent: (event: ClientEvent) => void events.push(event) };
}

/** Waits until `check` passes: events are delivered a moment after what they tell of. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 2_000, interval: 5 });

describe("renewal events", () => {
  it("a renewal emits renewal.started, then renewal.succeeded with its duration", async () => {
    const { events, onEvent } = recorder();
    const { client } = await sandbox.signIn({ onEvent });
    await sandbox.test.injectFault({ route: tokenRoute, fault: "delay", delayMs: 150 });
    await client.auth.tokenManager.refresh();
    await eventually(() =>
      expect(events).toEqual([
        { type: "renewal.started" },
        { type: "renewal.succeeded", durationMs: expect.any(Number) },
      ]),
    );
    const [, succeeded] = events as [ClientEvent, { durationMs: number }];
    expect(succeeded.durationMs).toBeGreaterThanOrEqual(145);
    expect(succeeded.durationMs).toBeLessThan(5_000);
    expect(Object.isFrozen(succeeded)).toBe(true);
  });

  it("concurrent callers share one renewal, and one pair of events", async () => {
    const { events, onEvent } = recorder();
    const { client } = await sandbox.signIn({ onEvent });
    const { tokenManager } = client.auth;
    await Promise.all([tokenManager.refresh(), tokenManager.refresh(), tokenManager.refresh()]);
    await eventually(() => expect(events).toHaveLength(2));
    await sleep(20);
    expect(events.map(({ type }) => type)).toEqual(["renewal.started", "renewal.succeeded"]);
    expect(await sandbox.test.grantCount("refresh_token")).toBe(1);
  });

  it("a refused renewal emits renewal.failed with the error's code, status and OAuth2 error", async () => {
    const { events, onEvent } = recorder();
    const { client } = await sandbox.signIn({ onEvent });
    await sandbox.reset(); // drops every refresh token, as a revocation does
    await expect(client.auth.tokenManager.refresh()).rejects.toMatchObject({ code: "OAUTH2_ERROR" });
    await eventually(() =>
      expect(events).toEqual([
        { type: "renewal.started" },
        {
          type: "renewal.failed",
          durationMs: expect.any(Number),
          code: "OAUTH2_ERROR",
          status: 400,
          oauthError: "invalid_grant",
        },
      ]),
    );
  });

  it.each([
    [{ fault: "error", status: 503 } as const, { code: "HTTP_ERROR", status: 503 }],
    [{ fault: "reset" } as const, { code: "NETWORK_ERROR", status: undefined }],
  ])("a renewal that meets %o emits renewal.failed with %o", async (fault, failure) => {
    const { events, onEvent } = recorder();
    const { client } = await sandbox.signIn({ onEvent });
    await sandbox.test.injectFault({ route: tokenRoute, ...fault });
    await expect(client.auth.tokenManager.refresh()).rejects.toMatchObject({ code: failure.code });
    await eventually(() =>
      expect(events.at(-1)).toEqual({
        type: "renewal.failed",
        durationMs: expect.any(Number),
        ...failure,
        oauthError: undefined,
      }),
    );
  });
});

describe("store.lockWaited", () => {
  it("two clients sharing a store renew at once: one waits for the lock, then takes the other's token", async () => {
    const tokenStore = memoryStore();
    const [first, second] = [recorder(), recorder()];
    const { client } = await sandbox.signIn({ tokenStore, onEvent: first.onEvent });
    const other = new Client({ baseUrl: sandbox.url, ...sandboxClient, tokenStore, onEvent: second.onEvent });
    expect(await other.auth.tokenManager.loadToken()).not.toBeNull();
    // The login's write took the lock too, without waiting.
    await eventually(() =>
      expect(first.events).toEqual([
        { type: "store.lockWaited", waitMs: expect.any(Number), acquired: true },
      ]),
    );
    first.events.length = 0;
    await sandbox.test.injectFault({ route: tokenRoute, fault: "delay", delayMs: 200 });

    await Promise.all([client.auth.tokenManager.refresh(), other.auth.tokenManager.refresh()]);
    expect(await sandbox.test.grantCount("refresh_token")).toBe(1);
    expect(other.auth.tokenManager.token?.accessToken).toBe(client.auth.tokenManager.token?.accessToken);
    for (const { events } of [first, second]) {
      await eventually(() =>
        expect(events.map(({ type }) => type)).toEqual([
          "renewal.started",
          "store.lockWaited",
          "renewal.succeeded",
        ]),
      );
    }
    const waits = [first, second].map(({ events }) => {
      const [, waited] = events;
      expect(waited).toMatchObject({ type: "store.lockWaited", acquired: true });
      return (waited as { waitMs: number }).waitMs;
    });
    const [renewer = -1, waiter = -1] = waits.sort((a, b) => a - b);
    expect(renewer).toBeLessThan(100);
    expect(waiter).toBeGreaterThanOrEqual(180);
  });

  it("a wait that ends without the lock says so, and the renewal fails with the lock's code", async () => {
    const tokenStore = memoryStore();
    const { events, onEvent } = recorder();
    await sandbox.signIn({ tokenStore });
    const held = await tokenStore.lock(`kontist-auth:${sandboxClient.clientId}`, { ttlMs: 5_000 });
    // `timeout` 50 ms: a renewal waits 200 ms for the lock (renewalLock: a TTL of 3 × 50, plus 50).
    const impatient = new Client({
      baseUrl: sandbox.url,
      ...sandboxClient,
      tokenStore,
      timeout: 50,
      onEvent,
    });
    await impatient.auth.tokenManager.loadToken();
    try {
      await expect(impatient.auth.tokenManager.refresh()).rejects.toMatchObject({
        code: "TOKEN_STORE_LOCK_TIMEOUT",
      });
    } finally {
      await held.release();
    }
    await eventually(() =>
      expect(events).toEqual([
        { type: "renewal.started" },
        { type: "store.lockWaited", waitMs: expect.any(Number), acquired: false },
        { type: "renewal.failed", durationMs: expect.any(Number), code: "TOKEN_STORE_LOCK_TIMEOUT" },
      ]),
    );
    expect((events[1] as { waitMs: number }).waitMs).toBeGreaterThanOrEqual(180);
  });
});

describe("request events", () => {
  it("a 401 answered and retried with a renewed token emits request.unauthorizedRetried", async () => {
    const { events, onEvent } = recorder();
    const { client } = await sandbox.signIn({ onEvent });
    await sandbox.test.injectFault({ route: challengesRoute, fault: "error", status: 401 });
    await expect(client.request(request)).resolves.toEqual([]);
    await eventually(() =>
      expect(events).toEqual([
        { type: "renewal.started" },
        { type: "renewal.succeeded", durationMs: expect.any(Number) },
        { type: "request.unauthorizedRetried", method: "GET", path: "/api/user/mfa/challenges" },
      ]),
    );
  });

  it("a 503, then a reset connection, retried: request.retried with the attempt, the wait and the cause", async () => {
    const { events, onEvent } = recorder();
    const { client } = await sandbox.signIn({ onEvent, retry });
    await sandbox.test.injectFault({ route: challengesRoute, fault: "error", status: 503 });
    await sandbox.test.injectFault({ route: challengesRoute, fault: "reset" });
    await expect(client.request(request)).resolves.toEqual([]);
    const path = "/api/user/mfa/challenges";
    const retried = { type: "request.retried", method: "GET", path, delayMs: expect.any(Number) };
    await eventually(() =>
      expect(events).toEqual([
        { ...retried, attempt: 1, status: 503 },
        { ...retried, attempt: 2, code: "NETWORK_ERROR" },
      ]),
    );
    const [first, second] = events as { delayMs: number }[];
    expect(first?.delayMs).toBeGreaterThanOrEqual(0);
    expect(first?.delayMs).toBeLessThan(10);
    expect(second?.delayMs).toBeLessThan(20);
  });

  it("a request sent once (retry: false) emits nothing", async () => {
    const { events, onEvent } = recorder();
    const { client } = await sandbox.signIn({ onEvent, retry: false });
    await sandbox.test.injectFault({ route: challengesRoute, fault: "error", status: 503 });
    await expect(client.request(request)).rejects.toMatchObject({ status: 503 });
    await sleep(50);
    expect(events).toEqual([]);
  });
});

describe("listeners that fail", () => {
  it("an onEvent that throws, or rejects, breaks nothing: the renewal and the retry go on", async () => {
    for (const onEvent of [
      () => {
        throw new Error("a broken listener");
      },
      async () => Promise.reject(new Error("a broken async listener")),
    ]) {
      const { client } = await sandbox.signIn({ onEvent, retry });
      await sandbox.test.injectFault({ route: challengesRoute, fault: "error", status: 503 });
      await expect(client.request(request)).resolves.toEqual([]);
      await expect(client.auth.tokenManager.refresh()).resolves.toBeDefined();
      await sleep(20); // the events were delivered, and their failures went nowhere
    }
  });
});

describe("node:diagnostics_channel", () => {
  /** Subscribes to every channel of the client while `run` runs and its events come; returns what they got. */
  async function published(run: () => Promise<void>, count: number): Promise<[string, unknown][]> {
    const messages: [string, unknown][] = [];
    const onMessage = (message: unknown, name: string | symbol) =>
      void messages.push([String(name), message]);
    for (const name of Object.values(eventChannels)) subscribe(name, onMessage);
    try {
      await run();
      await eventually(() => expect(messages).toHaveLength(count));
    } finally {
      for (const name of Object.values(eventChannels)) unsubscribe(name, onMessage);
    }
    return messages;
  }

  it("subscribers get the same events as onEvent, each on the channel of its type", async () => {
    const { events, onEvent } = recorder();
    const tokenStore = memoryStore();
    const run = async () => {
      const { client } = await sandbox.signIn({ onEvent, retry, tokenStore });
      await sandbox.test.injectFault({ route: challengesRoute, fault: "error", status: 401 });
      await sandbox.test.injectFault({ route: challengesRoute, fault: "error", status: 503 });
      await client.request(request);
      await sandbox.reset();
      await client.auth.tokenManager.refresh().catch(() => {});
    };
    // The login's lock; the 401's renewal (started, lock, succeeded) and retry; the 503's retry; the
    // failed renewal (started, lock, failed).
    const messages = await published(run, 9);
    expect(new Set(events.map(({ type }) => type))).toEqual(
      new Set(Object.keys(eventChannels).filter((type) => type !== "subscription.reconnected")),
    );
    expect(messages.map(([, message]) => message)).toEqual(events);
    for (const [index, [name, message]] of messages.entries()) {
      expect(message).toBe(events[index]); // the very same frozen object
      expect(name).toBe(eventChannels[(message as ClientEvent).type]);
    }
  });

  it("are published without an onEvent too, and carry no token", async () => {
    let accessToken = "";
    let refreshToken = "";
    const messages = await published(async () => {
      const session = await sandbox.signIn();
      ({ accessToken, refreshToken } = session);
      await session.client.auth.tokenManager.refresh();
    }, 2);
    expect(messages.map(([name]) => name)).toEqual([
      eventChannels["renewal.started"],
      eventChannels["renewal.succeeded"],
    ]);
    const text = JSON.stringify(messages);
    for (const secret of [accessToken, refreshToken, sandboxClient.clientSecret]) {
      expect(text).not.toContain(secret);
    }
  });
});
