import { inspect } from "node:util";
import {
  type Client,
  type ClientOptions,
  isKontistAuthError,
  type KontistAuthError,
} from "@kontist-auth/client";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import {
  asUser,
  confidentialClientOf,
  demoUser,
  loggedIn,
  otherUser,
  type Sandbox,
  startSandbox,
} from "../test/sandboxSupport";
import {
  bookInOrder,
  bookUntilDelivered,
  closedWebSockets,
  graphQLHandshakes,
  type NewTransaction,
  newTransaction,
} from "../test/subscriptionSupport";
import { startTcpRelay } from "../test/tcpRelay";

// GraphQL subscriptions as Kontist's SDK uses them: @kontist-auth/client's graphQL.subscribe (graphql-ws over
// one WebSocket, connectionParams { Authorization: "Bearer …" }) against the sandbox's newTransaction, fed by
// POST /sandbox/transactions. Both forms: callbacks (subscribe returns the unsubscribe function) and an
// async iterable (subscribe without `next`).

let sandbox: Sandbox;
/** The unsubscribe functions of every subscription a test started; afterEach ends them all. */
const running: (() => unknown)[] = [];
/** Every error any subscription reported, to check that none holds a token. */
const reported: { error: KontistAuthError; secrets: string[] }[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterEach(async () => {
  for (const end of running.splice(0)) await end();
});

afterAll(async () => {
  await sandbox.close();
  expect(reported.length).toBeGreaterThan(0);
  for (const { error, secrets } of reported) {
    for (const text of [
      error.message,
      String(error),
      error.stack ?? "",
      JSON.stringify(error),
      inspect(error),
    ]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  }
});

/** Reconnection waits short enough that a client that kept retrying would do so many times within a test. */
const quickRetries = {
  subscriptionRetry: { limit: 3, baseDelay: 50, maxDelay: 200 },
} satisfies Partial<ClientOptions>;

/**
 * A client with a confirmed token (device bound, device challenge passed), subscribing through `ws`;
 * also the bound device's id.
 */
async function confirmedClient(at: Sandbox = sandbox, options: Partial<ClientOptions> = {}, user = demoUser) {
  const client = await loggedIn(at, user, { webSocketImpl: WebSocket, ...options });
  const signer = createSoftwareSigner();
  const { deviceId } = await client.auth.device.bind({ signer, name: "subscriber", ...asUser(at) });
  await client.auth.device.confirm({ signer, deviceId });
  expect(client.auth.tokenManager.token?.confirmed).toBe(true);
  return Object.assign(client, { deviceId });
}

/**
 * What a subscription received: each event's data, what it failed with (a `KontistAuthError`, or an
 * aborted signal's reason thrown from a loop), and whether it completed (the callback, or the loop's end).
 */
interface Received {
  data: NewTransaction[];
  errors: unknown[];
  completed: boolean;
}

const ids = (received: Received) => received.data.map((data) => data.newTransaction.id);

/** Keeps `error` and the tokens `client` had when it happened, for the check in afterAll. */
function report(client: Client, error: KontistAuthError, tokens: (string | undefined)[]) {
  const current = client.auth.tokenManager.token;
  const secrets = [...tokens, current?.accessToken, current?.refreshToken];
  reported.push({ error, secrets: secrets.filter((secret): secret is string => secret !== undefined) });
}

/** Subscribes to newTransaction with callbacks and records what arrives. */
function subscribe(client: Client, options: { signal?: AbortSignal } = {}) {
  const received: Received = { data: [], errors: [], completed: false };
  const token = client.auth.tokenManager.token;
  const unsubscribe = client.graphQL.subscribe<NewTransaction>(newTransaction, {
    ...options,
    next: (data) => received.data.push(data),
    error: (error) => {
      received.errors.push(error);
      report(client, error, [token?.accessToken, token?.refreshToken]);
    },
    complete: () => {
      received.completed = true;
    },
  });
  running.push(unsubscribe);
  return { received, unsubscribe };
}

/**
 * Subscribes to newTransaction in the async-iterable form and records what the `for await` loop gets;
 * `ended` settles when the loop ends (what it throws is recorded, not rethrown). The loop breaks once
 * `breakAfter` events arrived, when given.
 */
function iterate(client: Client, options: { signal?: AbortSignal; breakAfter?: number } = {}) {
  const { breakAfter, ...subscribeOptions } = options;
  const received: Received = { data: [], errors: [], completed: false };
  const token = client.auth.tokenManager.token;
  const events = client.graphQL.subscribe<NewTransaction>(newTransaction, subscribeOptions);
  const ended = (async () => {
    try {
      for await (const data of events) {
        received.data.push(data);
        if (received.data.length === breakAfter) break;
      }
      received.completed = true;
    } catch (error) {
      received.errors.push(error);
      if (isKontistAuthError(error)) report(client, error, [token?.accessToken, token?.refreshToken]);
    }
  })();
  running.push(() => events.return?.());
  return { received, events, ended };
}

/** Polls `assertion` until it passes (vitest's waitFor, every 10 ms), `timeout` ms at most. */
const eventually = (assertion: () => unknown, timeout = 5000) =>
  vi.waitFor(assertion, { timeout, interval: 10 });

/** A sandbox that keeps its log, to see its WebSockets close from the server's side. */
async function loggingSandbox() {
  const log: string[] = [];
  const at = await startSandbox({ port: 0, log: (line) => log.push(line) });
  return { at, closed: () => closedWebSockets(log) };
}

/** `ws`'s WebSocket, unchanged but for keeping every socket it opens, to watch them close. */
function observedWebSocket() {
  const sockets: WebSocket[] = [];
  class ObservedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      sockets.push(this);
    }
  }
  return { ObservedWebSocket, sockets };
}

describe("newTransaction through client.graphQL.subscribe", () => {
  it("delivers a transaction booked for a confirmed user to the callbacks, and the balance changes", async () => {
    const client = await confirmedClient();
    const balance = async () =>
      (
        await client.graphQL.rawQuery<{ viewer: { mainAccount: { balance: number } } }>(
          "{ viewer { mainAccount { balance } } }",
        )
      ).viewer.mainAccount.balance;
    const { received } = subscribe(client);
    await bookUntilDelivered(sandbox, { amount: 1 }, () => received.data.length); // live from here on
    const before = await balance();
    const { id } = await sandbox.test.bookTransaction({ amount: -1250, name: "Coffee Roasters GmbH" });
    await eventually(() => expect(ids(received)).toContain(id));
    expect(received.data.at(-1)).toEqual({
      newTransaction: { id, amount: -1250, name: "Coffee Roasters GmbH" },
    });
    expect(await balance()).toBe(before - 1250);
    expect(received.errors).toEqual([]);
  });

  it("delivers transactions to a for await loop in order; break and return() end it, the last one the socket", async () => {
    const { at, closed } = await loggingSandbox();
    try {
      const client = await confirmedClient(at);
      const looping = iterate(client);
      const probes = await bookUntilDelivered(at, { amount: 1 }, () => looping.received.data.length);
      expect(probes).toContain(ids(looping.received)[0]);
      const seen = looping.received.data.length;
      const booked = await bookInOrder(at, 5, "for await");
      await eventually(() => expect(looping.received.data).toHaveLength(seen + 5));
      expect(ids(looping.received).slice(seen)).toEqual(booked);
      expect(looping.received.data.at(-1)?.newTransaction).toMatchObject({ amount: 5, name: "for await 5" });

      // A loop that breaks ends its own subscription; the other one keeps the shared socket.
      const breaking = iterate(client, { breakAfter: 2 });
      await bookUntilDelivered(at, { amount: 2 }, () => breaking.received.data.length);
      await bookInOrder(at, 2, "break");
      await breaking.ended;
      expect(breaking.received).toMatchObject({ errors: [], completed: true });
      expect(breaking.received.data).toHaveLength(2);
      const { id } = await at.test.bookTransaction({ amount: 3 });
      await eventually(() => expect(ids(looping.received)).toContain(id));
      expect(breaking.received.data).toHaveLength(2);
      expect(closed()).toEqual([]);

      // return() while the loop waits for the next event ends it; it was the last, so the socket closes (1000).
      await looping.events.return?.();
      await looping.ended;
      expect(looping.received).toMatchObject({ errors: [], completed: true });
      await eventually(() => expect(closed()).toEqual([1000]));
    } finally {
      await at.close();
    }
  });

  it("does not deliver another user's transactions", async () => {
    const client = await confirmedClient();
    const { received } = subscribe(client);
    await bookUntilDelivered(sandbox, { amount: 1 }, () => received.data.length);
    const seen = received.data.length;
    await sandbox.test.bookTransaction({ amount: 4242, email: otherUser.username });
    const { id: mine } = await sandbox.test.bookTransaction({ amount: 1 });
    await eventually(() => expect(ids(received)).toContain(mine));
    expect(ids(received).slice(seen)).toEqual([mine]);
  });

  it("an unconfirmed token gets a GraphQLError with status 403, to the callback and thrown from the loop", async () => {
    const client = await loggedIn(sandbox, demoUser, { webSocketImpl: WebSocket });
    const { received } = subscribe(client);
    const { received: iterated, ended } = iterate(client);
    await eventually(() => expect(received.errors).toHaveLength(1));
    await ended;
    for (const error of [received.errors[0], iterated.errors[0]]) {
      expect(isKontistAuthError(error, "GRAPHQL_ERROR")).toBe(true);
      expect(error).toMatchObject({
        status: 403,
        type: "http://www.iana.org/assignments/http-status-codes#403",
      });
    }
    expect([received.completed, iterated.completed]).toEqual([false, false]);
    expect([received.data, iterated.data]).toEqual([[], []]);
  });

  it("an invalid token that cannot be renewed is refused (4403): a WebSocketClosedError, once", async () => {
    const client = confidentialClientOf(sandbox, { webSocketImpl: WebSocket, ...quickRetries });
    client.auth.tokenManager.setToken("an-access-token-the-sandbox-does-not-know");
    const before = await graphQLHandshakes(sandbox);
    const { received } = subscribe(client);
    await eventually(() => expect(received.errors).toHaveLength(1));
    const [error] = received.errors;
    expect(isKontistAuthError(error, "WEBSOCKET_CLOSED")).toBe(true);
    expect(error).toMatchObject({ closeCode: 4403, status: 403 });
    expect(String(error)).not.toContain("an-access-token-the-sandbox-does-not-know");
    // Without a refresh token there is nothing to renew: no second try.
    await sleep(500);
    expect((await graphQLHandshakes(sandbox)) - before).toBe(1);
  });

  it("a client without a token gets NoTokenError", async () => {
    const client = confidentialClientOf(sandbox, { webSocketImpl: WebSocket });
    const { received } = subscribe(client);
    const { received: iterated, ended } = iterate(client);
    await eventually(() => expect(received.errors).toHaveLength(1));
    await ended;
    expect(received.errors).toEqual([expect.objectContaining({ code: "NO_TOKEN" })]);
    expect(iterated.errors).toEqual([expect.objectContaining({ code: "NO_TOKEN" })]);
  });
});

describe("token renewal mid-stream", () => {
  it("an access token that expires is renewed exactly once, and no event booked after the reconnection is lost", async () => {
    // Tokens live 6 s; refreshLeeway 0: the client renews only because the server closed the socket (4403).
    const shortLived = await startSandbox({ port: 0, accessTokenTtl: 6 });
    try {
      const client = await confirmedClient(shortLived, { refreshLeeway: 0 });
      const { received } = subscribe(client);
      await bookUntilDelivered(shortLived, { amount: 1 }, () => received.data.length);
      const expiring = client.auth.tokenManager.token;
      const renewed: (string | undefined)[] = [];
      client.auth.tokenManager.onTokenChange((token) => renewed.push(token?.accessToken));
      const before = {
        renewals: await shortLived.test.grantCount("refresh_token"),
        handshakes: await graphQLHandshakes(shortLived),
      };

      // Within 6 s the token expires: the server closes the socket (4403), the client renews the token and
      // subscribes again on a new socket. A probe that arrives after the renewal came through that socket.
      await eventually(() => expect(renewed).toHaveLength(1), 15_000);
      await bookUntilDelivered(shortLived, { amount: 2 }, () => received.data.length);
      const seen = received.data.length;
      const booked = await bookInOrder(shortLived, 20, "after the reconnection");
      await eventually(() => expect(received.data.length).toBeGreaterThanOrEqual(seen + 20));
      expect(ids(received).slice(seen)).toEqual(booked);

      expect((await shortLived.test.grantCount("refresh_token")) - before.renewals).toBe(1);
      expect((await graphQLHandshakes(shortLived)) - before.handshakes).toBe(1);
      expect(renewed).toHaveLength(1);
      expect(renewed[0]).not.toBe(expiring?.accessToken);
      expect(client.auth.tokenManager.token?.confirmed).toBe(true);
      expect(received).toMatchObject({ errors: [], completed: false });
    } finally {
      await shortLived.close();
    }
  }, 40_000);

  it("a renewal that fails ends the subscription with the typed error, after one attempt and no reconnection", async () => {
    const shortLived = await startSandbox({ port: 0, accessTokenTtl: 4 });
    try {
      const client = await confirmedClient(shortLived, { refreshLeeway: 0, ...quickRetries });
      const { received } = subscribe(client);
      await bookUntilDelivered(shortLived, { amount: 1 }, () => received.data.length);
      // The user removes this device (e.g. from another one): the refresh tokens it confirmed are revoked;
      // the access token stays valid until it expires, and the subscription with it.
      await client.auth.device.remove(client.deviceId);
      const { id } = await shortLived.test.bookTransaction({ amount: 2 });
      await eventually(() => expect(ids(received)).toContain(id));
      const before = {
        renewals: await shortLived.test.grantCount("refresh_token"),
        handshakes: await graphQLHandshakes(shortLived),
      };

      // Within 4 s the token expires: 4403, one renewal, refused (invalid_grant), the end.
      await eventually(() => expect(received.errors).toHaveLength(1), 15_000);
      const [error] = received.errors;
      expect(isKontistAuthError(error, "OAUTH2_ERROR")).toBe(true);
      expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
      const atError = {
        renewals: await shortLived.test.grantCount("refresh_token"),
        handshakes: await graphQLHandshakes(shortLived),
      };
      expect(atError.renewals - before.renewals).toBe(1);

      // With retries 50–200 ms apart, a client that kept trying would have tried again by now.
      await sleep(2000);
      expect(await shortLived.test.grantCount("refresh_token")).toBe(atError.renewals);
      expect(await graphQLHandshakes(shortLived)).toBe(atError.handshakes);
      // The renewal comes before the reconnection, so its failure opened no socket at all.
      expect(atError.handshakes - before.handshakes).toBe(0);
      expect(received.errors).toHaveLength(1);
      expect(received.completed).toBe(false);
    } finally {
      await shortLived.close();
    }
  }, 40_000);
});

describe("one WebSocket per client", () => {
  it("100 subscriptions share one socket: one handshake, and one booked transaction reaches all 100", async () => {
    const client = await confirmedClient();
    const before = await graphQLHandshakes(sandbox);
    const subscriptions = Array.from({ length: 100 }, () => subscribe(client));
    const fewest = () => Math.min(...subscriptions.map(({ received }) => received.data.length));
    await bookUntilDelivered(sandbox, { amount: 1 }, fewest); // all 100 are live
    const { id } = await sandbox.test.bookTransaction({ amount: 100, name: "for all 100" });
    await eventually(() => {
      for (const { received } of subscriptions) expect(ids(received)).toContain(id);
    });
    for (const { received } of subscriptions) {
      expect(received.data.at(-1)?.newTransaction).toEqual({ id, amount: 100, name: "for all 100" });
      expect(received.errors).toEqual([]);
    }
    expect((await graphQLHandshakes(sandbox)) - before).toBe(1);
  });

  it("unsubscribe stops delivery; the socket stays for the others, and closes with the last one", async () => {
    const { at, closed } = await loggingSandbox();
    try {
      const { ObservedWebSocket, sockets } = observedWebSocket();
      const client = await confirmedClient(at, { webSocketImpl: ObservedWebSocket });
      const before = await graphQLHandshakes(at);
      const first = subscribe(client);
      const second = subscribe(client);
      await bookUntilDelivered(at, { amount: 1 }, () =>
        Math.min(first.received.data.length, second.received.data.length),
      );
      expect((await graphQLHandshakes(at)) - before).toBe(1);
      expect(sockets).toHaveLength(1);

      first.unsubscribe();
      first.unsubscribe(); // idempotent
      const firstSeen = first.received.data.length;
      const { id } = await at.test.bookTransaction({ amount: 2 });
      await eventually(() => expect(ids(second.received)).toContain(id));
      expect(first.received.data).toHaveLength(firstSeen);
      expect(sockets[0]?.readyState).toBe(WebSocket.OPEN);
      expect(closed()).toEqual([]);

      // The last unsubscribe closes the socket: the server sees it close normally (1000).
      second.unsubscribe();
      await eventually(() => expect(closed()).toEqual([1000]));
      expect(sockets[0]?.readyState).toBe(WebSocket.CLOSED);
      const { id: late } = await at.test.bookTransaction({ amount: 3 });

      // The next subscription opens a new socket.
      const third = subscribe(client);
      await bookUntilDelivered(at, { amount: 4 }, () => third.received.data.length);
      expect((await graphQLHandshakes(at)) - before).toBe(2);
      expect(sockets).toHaveLength(2);
      expect([...ids(first.received), ...ids(second.received), ...ids(third.received)]).not.toContain(late);
      expect([first.received, second.received, third.received].map(({ errors }) => errors)).toEqual([
        [],
        [],
        [],
      ]);
    } finally {
      await at.close();
    }
  });

  it("an AbortSignal ends a subscription of either form; the last one closes the socket", async () => {
    const { at, closed } = await loggingSandbox();
    try {
      const client = await confirmedClient(at);
      const callbacks = new AbortController();
      const loop = new AbortController();
      const viaCallbacks = subscribe(client, { signal: callbacks.signal });
      const viaLoop = iterate(client, { signal: loop.signal });
      await bookUntilDelivered(at, { amount: 1 }, () =>
        Math.min(viaCallbacks.received.data.length, viaLoop.received.data.length),
      );

      // The callback form just stops: no callback after the abort.
      callbacks.abort();
      const seen = viaCallbacks.received.data.length;
      const { id } = await at.test.bookTransaction({ amount: 2 });
      await eventually(() => expect(ids(viaLoop.received)).toContain(id));
      expect(viaCallbacks.received.data).toHaveLength(seen);
      expect(viaCallbacks.received).toMatchObject({ errors: [], completed: false });
      expect(closed()).toEqual([]);

      // The loop throws the signal's reason, as fetch does; it was the last, so the socket closes (1000).
      const reason = new Error("the user left the page");
      loop.abort(reason);
      await viaLoop.ended;
      expect(viaLoop.received.errors).toEqual([reason]);
      expect(viaLoop.received.completed).toBe(false);
      await eventually(() => expect(closed()).toEqual([1000]));

      // A signal aborted already: nothing connects; the loop throws its reason at once.
      const handshakes = await graphQLHandshakes(at);
      const aborted = iterate(client, { signal: AbortSignal.abort() });
      await aborted.ended;
      expect(aborted.received.errors).toHaveLength(1);
      expect(aborted.received.errors[0]).toMatchObject({ name: "AbortError" });
      expect(aborted.received.data).toEqual([]);
      const early = subscribe(client, { signal: AbortSignal.abort() });
      await sleep(300);
      expect(early.received).toMatchObject({ data: [], errors: [], completed: false });
      expect(await graphQLHandshakes(at)).toBe(handshakes);
    } finally {
      await at.close();
    }
  });
});

describe("network drops", () => {
  it("a dropped connection is reopened with backoff and the subscription resumes, without renewing the token", async () => {
    const relay = await startTcpRelay(sandbox.url);
    try {
      const client = await confirmedClient(sandbox, { baseUrl: relay.url, ...quickRetries });
      const { received } = subscribe(client);
      await bookUntilDelivered(sandbox, { amount: 1 }, () => received.data.length);
      const before = {
        renewals: await sandbox.test.grantCount("refresh_token"),
        handshakes: await graphQLHandshakes(sandbox),
      };

      relay.cut(); // TCP reset: the socket closes abnormally (1006)
      await bookUntilDelivered(sandbox, { amount: 2 }, () => received.data.length); // resumed on a new socket
      const seen = received.data.length;
      const booked = await bookInOrder(sandbox, 10, "after the drop");
      await eventually(() => expect(received.data.length).toBeGreaterThanOrEqual(seen + 10));
      expect(ids(received).slice(seen)).toEqual(booked);
      expect((await graphQLHandshakes(sandbox)) - before.handshakes).toBe(1);
      expect(await sandbox.test.grantCount("refresh_token")).toBe(before.renewals);
      expect(received).toMatchObject({ errors: [], completed: false });
    } finally {
      await relay.close();
    }
  });

  it("sandbox.close() with an open subscription resolves; after its bounded retries the client reports a NetworkError", async () => {
    const closing = await startSandbox({ port: 0 });
    const client = await confirmedClient(closing, quickRetries);
    const { received } = subscribe(client);
    await bookUntilDelivered(closing, { amount: 5 }, () => received.data.length);
    const started = performance.now();
    await closing.close();
    expect(performance.now() - started).toBeLessThan(2000);
    // The socket closes with 1001 Going away; the reconnections find nothing listening, and give up.
    await eventually(() => expect(received.errors).toHaveLength(1), 10_000);
    expect(isKontistAuthError(received.errors[0], "NETWORK_ERROR")).toBe(true);
    expect(received.completed).toBe(false);
  }, 20_000);
});
