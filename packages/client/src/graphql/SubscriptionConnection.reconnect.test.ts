import { isKontistAuthError, paths, sleep } from "@kontist-auth/protocol";
import { describe, expect, it, vi } from "vitest";
import type { SignedInClient } from "../../test/sandbox";
import {
  confirmedClient,
  network,
  query,
  randomAtLeast,
  record,
  renderings,
  sandboxWith,
  scriptedServer,
  sockets,
  subscribed,
  subscriptionTests,
  waitFor,
} from "../../test/subscriptions";
import type { WebSocketClosedError } from "../errors/WebSocketClosedError";

// Reconnection against the sandbox: it closes a connection with 4403 when its token expires. A network
// drop is the client's socket destroyed; a refused reconnection goes to a port nothing listens on.

const context = subscriptionTests();
const { ended, closers } = context;

/** The refresh token grants `session`'s client sent. */
const refreshes = (session: SignedInClient) =>
  session.sent.filter((sent) => sent.url === paths.token && sent.body.includes("grant_type=refresh_token"))
    .length;

describe("a token the server refuses (4403)", () => {
  it("is renewed once, the connection reopened after a backoff wait, and the subscriptions resume", async () => {
    // Tokens of 2 s, refreshLeeway 0: the client renews the token only because the sandbox closed with 4403.
    const shortLived = await sandboxWith(closers, { accessTokenTtl: 2 });
    const subscriptionRetry = { baseDelay: 200, maxDelay: 200 };
    const { client, accessToken, session } = await confirmedClient(shortLived, {
      refreshLeeway: 0,
      subscriptionRetry,
    });
    randomAtLeast(0.5); // each wait is then 100 to 199 ms
    const { events } = record(ended, client);
    await subscribed(() => sockets[0]);

    await subscribed(() => sockets[1], 1);
    const [expired, renewed] = sockets;
    expect(expired?.closeCode).toBe(4403);
    expect(refreshes(session)).toBe(1);
    const wait = (renewed?.at ?? 0) - (expired?.closedAt ?? 0);
    expect(wait).toBeGreaterThanOrEqual(95);
    const token = client.auth.tokenManager.token?.accessToken;
    expect(token).not.toBe(accessToken);
    expect(renewed?.messages("connection_init")[0]?.payload).toEqual({ Authorization: `Bearer ${token}` });
    const { id } = await shortLived.test.bookTransaction({ amount: 2 });
    await waitFor(() => events.data.length === 1);
    expect(events.data).toEqual([{ newTransaction: { id, amount: 2, name: null } }]);
    expect(events.errors).toEqual([]);
  });

  it("a renewal that fails ends every subscription with its typed error: one renewal, no other connection", async () => {
    const shortLived = await sandboxWith(closers, { accessTokenTtl: 2 });
    const { client, session } = await confirmedClient(shortLived, {
      refreshLeeway: 0,
      subscriptionRetry: { baseDelay: 20, maxDelay: 20 },
    });
    const callbacks = record(ended, client);
    const iterated = client.graphQL
      .subscribe(query)
      .next()
      .catch((error: unknown) => error);
    await subscribed(() => sockets[0], 2);
    shortLived.reset(); // drops every refresh token, as a revocation does: the renewal gets invalid_grant

    await waitFor(() => callbacks.events.errors.length === 1, 6000);
    const [failure] = callbacks.events.errors;
    expect(isKontistAuthError(failure, "OAUTH2_ERROR")).toBe(true);
    expect(failure).toMatchObject({ status: 400, error: "invalid_grant" });
    expect(await iterated).toBe(failure);
    expect(sockets[0]?.closeCode).toBe(4403);
    await sleep(300);
    expect(refreshes(session)).toBe(1);
    expect(sockets).toHaveLength(1);
    expect(callbacks.events).toMatchObject({ data: [], completed: 0 });
  });

  it("a refusal right after the renewal ends the subscriptions with WebSocketClosedError 403", async () => {
    // The sandbox accepts the token it renewed: a scripted server refuses every token.
    const server = await scriptedServer(closers, () => ({
      code: 4403,
      reason: "Forbidden: the access token is invalid.",
    }));
    const { client, accessToken } = server;
    const first = record(ended, client);
    const second = record(ended, client, { query: "subscription { other }" });
    await waitFor(() => first.events.errors.length === 1 && second.events.errors.length === 1);
    expect(server.connections).toHaveLength(2);
    expect(server.renewals()).toBe(1);
    const error = first.events.errors[0] as WebSocketClosedError;
    expect(error).toMatchObject({ code: "WEBSOCKET_CLOSED", closeCode: 4403, status: 403 });
    expect(error.message).toBe(
      "WebSocket /api/graphql was closed with 4403: Forbidden: the access token is invalid.",
    );
    const renewed = client.auth.tokenManager.token?.accessToken ?? "";
    for (const text of renderings(error)) {
      expect(text).not.toContain(accessToken.slice(20, 50));
      expect(text).not.toContain(renewed.slice(20, 50));
    }
  });

  it("a refused token that cannot be renewed ends the subscription at once, without a renewal", async () => {
    // A reason that echoes what was sent: the client cuts the token out. The sandbox never quotes a token.
    const server = await scriptedServer(closers, (params) => ({
      code: 4403,
      reason: `Forbidden: ${String(params?.Authorization)}`,
    }));
    const { client } = server;
    const opaque = "opaque-access-token-7c41";
    client.auth.tokenManager.setToken(opaque); // no refresh token
    const { events } = record(ended, client);
    await waitFor(() => events.errors.length === 1);
    expect(isKontistAuthError(events.errors[0], "WEBSOCKET_CLOSED")).toBe(true);
    expect((events.errors[0] as WebSocketClosedError).reason).toBe("Forbidden: Bearer [redacted]");
    for (const text of renderings(events.errors[0])) expect(text).not.toContain(opaque);
    expect(server.connections).toHaveLength(1);
    expect(server.renewals()).toBe(0);
  });
});

describe("a connection that breaks", () => {
  it("is reopened after refused attempts, with the current token, and the events resume", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox, {
      subscriptionRetry: { limit: 5, baseDelay: 20, maxDelay: 40 },
    });
    const { events } = record(ended, client);
    await subscribed(() => sockets[0]);
    network.refusing = 2;
    sockets[0]?.terminate(); // the network dropped it: no close frame (1006)

    await subscribed(() => (sockets.length === 4 ? sockets[3] : undefined));
    expect(sockets.map((socket) => socket.refused)).toEqual([false, true, true, false]);
    expect(sockets[0]?.closeCode).toBe(1006);
    expect(sockets[3]?.messages("connection_init")[0]?.payload).toEqual({
      Authorization: `Bearer ${client.auth.tokenManager.token?.accessToken}`,
    });
    const { id } = await sandbox.test.bookTransaction({ amount: 7 });
    await waitFor(() => events.data.length === 1);
    expect(events.data).toEqual([{ newTransaction: { id, amount: 7, name: null } }]);
    expect(events.errors).toEqual([]);
  });

  it("is reopened after a close the server asked for (1012), with the token of that moment", async () => {
    const server = await scriptedServer(closers);
    const { client } = server;
    const { events } = record(ended, client);
    await waitFor(() => sockets[0]?.messages("subscribe").length === 1);
    const { accessToken } = client.auth.tokenManager.setToken(server.newAccessToken());
    server.connections[0]?.close(1012, "Service restart");
    await waitFor(() => sockets.length === 2 && sockets[1]?.messages("subscribe").length === 1);
    expect(sockets[1]?.messages("connection_init")[0]?.payload).toEqual({
      Authorization: `Bearer ${accessToken}`,
    });
    expect(events.errors).toEqual([]);
  });

  it("gives up after `limit` refused attempts, each wait capped at maxDelay, with a NetworkError", async () => {
    const { sandbox } = context;
    // baseDelay 10 s would wait seconds; maxDelay caps each wait at 50 ms (25 to 49 ms here).
    const subscriptionRetry = { limit: 3, baseDelay: 10_000, maxDelay: 50 };
    const { client, accessToken } = await confirmedClient(sandbox, { subscriptionRetry });
    randomAtLeast(0.5);
    const { events } = record(ended, client);
    await subscribed(() => sockets[0]);
    network.refusing = Number.POSITIVE_INFINITY;
    sockets[0]?.terminate();

    await waitFor(() => events.errors.length === 1);
    expect(sockets.map((socket) => socket.refused)).toEqual([false, true, true, true]);
    for (const [index, socket] of sockets.entries()) {
      if (index === 0) continue;
      const wait = socket.at - (sockets[index - 1]?.closedAt ?? 0);
      expect(wait).toBeGreaterThanOrEqual(20);
      expect(wait).toBeLessThan(500);
    }
    const [error] = events.errors;
    expect(error).toMatchObject({ code: "NETWORK_ERROR", message: expect.stringContaining("ECONNREFUSED") });
    expect(error?.cause).toMatchObject({
      message: expect.stringMatching(/^gave up after 3 reconnection attempts: /),
    });
    for (const text of renderings(error)) expect(text).not.toContain(accessToken);
    await sleep(200);
    expect(sockets).toHaveLength(4);
  });
});

describe("ending it while the connection waits to be reopened", () => {
  it("unsubscribe() and an aborted signal end the wait at once: its timer cleared, no connection", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox, {
      subscriptionRetry: { baseDelay: 60_000, maxDelay: 60_000 },
    });
    randomAtLeast(0.5); // the wait is 30 s or more
    const callbacks = record(ended, client);
    const controller = new AbortController();
    const iterator = client.graphQL.subscribe(query, { signal: controller.signal });
    await subscribed(() => sockets[0], 2);
    const waiting = iterator.next();
    const setTimer = vi.spyOn(globalThis, "setTimeout");
    const clearTimer = vi.spyOn(globalThis, "clearTimeout");
    sockets[0]?.terminate();
    await waitFor(() => setTimer.mock.calls.some(([, delay]) => (delay ?? 0) >= 30_000));
    const index = setTimer.mock.calls.findIndex(([, delay]) => (delay ?? 0) >= 30_000);
    const wait = setTimer.mock.results[index]?.value;
    const cleared = () => clearTimer.mock.calls.some(([timer]) => timer === wait);

    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    expect(cleared()).toBe(false); // the callback subscription still waits
    callbacks.unsubscribe();
    expect(cleared()).toBe(true);
    await sleep(100);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.closeCode).toBe(1006);
    expect(callbacks.events).toEqual({ data: [], errors: [], completed: 0 });

    // The next subscription starts afresh: it connects at once.
    record(ended, client);
    await subscribed(() => sockets[1]);
  });
});
