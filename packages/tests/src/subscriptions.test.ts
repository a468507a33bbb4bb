import { inspect } from "node:util";
import {
  type Client,
  type GraphQLSubscription,
  isKontistAuthError,
  type KontistAuthError,
} from "@kontist-auth/client";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import { sleep } from "@kontist-auth/protocol";
import type { SandboxTransactionRequest } from "@kontist-auth/protocol/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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

// GraphQL subscriptions as Kontist's SDK uses them: @kontist-auth/client's graphQL.subscribe (graphql-ws over
// one WebSocket, connectionParams { Authorization: "Bearer …" }) against the sandbox's newTransaction, fed by
// POST /sandbox/transactions.

const newTransaction = "subscription { newTransaction { id amount name } }";

interface NewTransaction {
  newTransaction: { id: string; amount: number; name: string | null };
}

let sandbox: Sandbox;
const running: GraphQLSubscription[] = [];
/** Every error any subscription reported, to check that none holds a token. */
const reported: { error: KontistAuthError; secrets: string[] }[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterEach(() => {
  for (const subscription of running.splice(0)) subscription.unsubscribe();
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

/** A client with a confirmed token (device bound, device challenge passed), subscribing through `ws`. */
async function confirmedClient(at: Sandbox = sandbox, user = demoUser, options = {}): Promise<Client> {
  const client = await loggedIn(at, user, { webSocketImpl: WebSocket, ...options });
  const signer = createSoftwareSigner();
  const { deviceId } = await client.auth.device.bind({ signer, name: "subscriber", ...asUser(at) });
  await client.auth.device.confirm({ signer, deviceId });
  expect(client.auth.tokenManager.token?.confirmed).toBe(true);
  return client;
}

/** Subscribes to newTransaction and records what arrives. */
function subscribe(client: Client) {
  const events = { data: [] as NewTransaction[], errors: [] as KontistAuthError[], completed: false };
  const token = client.auth.tokenManager.token;
  const subscription = client.graphQL.subscribe<NewTransaction>({
    query: newTransaction,
    onNext: (data) => events.data.push(data),
    onError: (error) => {
      events.errors.push(error);
      const secrets = [token?.accessToken, token?.refreshToken, client.auth.tokenManager.token?.accessToken];
      reported.push({ error, secrets: secrets.filter((secret): secret is string => secret !== undefined) });
    },
    onComplete: () => {
      events.completed = true;
    },
  });
  running.push(subscription);
  return { events, subscription };
}

async function book(request: SandboxTransactionRequest, at: Sandbox = sandbox): Promise<string> {
  return (await at.test.bookTransaction(request)).id;
}

async function until(condition: () => boolean, timeout = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error("the condition did not hold in time");
    await sleep(10);
  }
}

const handshakes = async (at: Sandbox = sandbox) => (await at.test.stats()).requests["GET /api/graphql"] ?? 0;

/** Books transactions until the subscription has one (it is live once the first arrives); returns its id. */
async function bookUntilDelivered(
  events: { data: NewTransaction[] },
  request: SandboxTransactionRequest,
  at: Sandbox = sandbox,
) {
  const before = events.data.length;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const id = await book(request, at);
    await sleep(20);
    if (events.data.length > before) return id;
  }
  throw new Error("no transaction was delivered");
}

describe("newTransaction through client.graphQL.subscribe", () => {
  it("delivers a transaction booked for a confirmed user, and the balance changes", async () => {
    const client = await confirmedClient();
    const balance = async () =>
      (
        await client.graphQL.rawQuery<{ viewer: { mainAccount: { balance: number } } }>(
          "{ viewer { mainAccount { balance } } }",
        )
      ).viewer.mainAccount.balance;
    const { events } = subscribe(client);
    await bookUntilDelivered(events, { amount: 1 }); // the subscription is live from here on
    const before = await balance();
    const id = await book({ amount: -1250, name: "Coffee Roasters GmbH" });
    await until(() => events.data.some((data) => data.newTransaction.id === id));
    expect(events.data.at(-1)).toEqual({
      newTransaction: { id, amount: -1250, name: "Coffee Roasters GmbH" },
    });
    expect(await balance()).toBe(before - 1250);
    expect(events.errors).toEqual([]);
  });

  it("does not deliver another user's transactions", async () => {
    const client = await confirmedClient();
    const { events } = subscribe(client);
    await bookUntilDelivered(events, { amount: 1 });
    const seen = events.data.length;
    await book({ amount: 4242, email: otherUser.username });
    const mine = await book({ amount: 1 });
    await until(() => events.data.length === seen + 1);
    expect(events.data.at(-1)?.newTransaction.id).toBe(mine);
  });

  it("an unconfirmed token gets a GraphQLError with status 403", async () => {
    const client = await loggedIn(sandbox, demoUser, { webSocketImpl: WebSocket });
    const { events } = subscribe(client);
    await until(() => events.errors.length === 1);
    const [error] = events.errors;
    expect(isKontistAuthError(error, "GRAPHQL_ERROR")).toBe(true);
    expect(error).toMatchObject({
      status: 403,
      type: "http://www.iana.org/assignments/http-status-codes#403",
    });
    expect(events.completed).toBe(false);
  });

  it("an invalid token is refused (4403) and, when it cannot be renewed, ends in WebSocketClosedError", async () => {
    const client = confidentialClientOf(sandbox, { webSocketImpl: WebSocket });
    client.auth.tokenManager.setToken("an-access-token-the-sandbox-does-not-know");
    const { events } = subscribe(client);
    await until(() => events.errors.length === 1);
    const [error] = events.errors;
    expect(isKontistAuthError(error, "WEBSOCKET_CLOSED")).toBe(true);
    expect(error).toMatchObject({ closeCode: 4403, status: 403 });
    expect(String(error)).not.toContain("an-access-token-the-sandbox-does-not-know");
  });

  it("a client without a token gets NoTokenError", async () => {
    const client = confidentialClientOf(sandbox, { webSocketImpl: WebSocket });
    const { events } = subscribe(client);
    await until(() => events.errors.length === 1);
    expect(events.errors[0]?.code).toBe("NO_TOKEN");
  });
});

describe("one WebSocket per client", () => {
  it("is shared by the subscriptions; unsubscribe stops delivery, and the last one closes it", async () => {
    const client = await confirmedClient();
    const before = await handshakes();
    const first = subscribe(client);
    const second = subscribe(client);
    await bookUntilDelivered(first.events, { amount: 1 });
    await until(() => second.events.data.length > 0);
    expect((await handshakes()) - before).toBe(1);

    first.subscription.unsubscribe();
    const [firstSeen, secondSeen] = [first.events.data.length, second.events.data.length];
    const id = await book({ amount: 2 });
    await until(() => second.events.data.length === secondSeen + 1);
    expect(second.events.data.at(-1)?.newTransaction.id).toBe(id);
    expect(first.events.data).toHaveLength(firstSeen);

    second.subscription.unsubscribe();
    await sleep(100);
    // The socket closed with the last subscription: the next one needs a new handshake.
    const third = subscribe(client);
    await bookUntilDelivered(third.events, { amount: 3 });
    expect((await handshakes()) - before).toBe(2);
    expect(first.events.data).toHaveLength(firstSeen);
    expect([first.events.errors, second.events.errors, third.events.errors]).toEqual([[], [], []]);
  });
});

describe("reconnection", () => {
  it("when the access token expires the sandbox closes the socket; the client renews and resumes", async () => {
    const shortLived = await startSandbox({ port: 0, accessTokenTtl: 2 });
    try {
      // refreshLeeway 0: the client renews the token only because the server closed the connection.
      const client = await confirmedClient(shortLived, demoUser, { refreshLeeway: 0 });
      const { events } = subscribe(client);
      await bookUntilDelivered(events, { amount: 1 }, shortLived);
      const [renewals, connections] = [
        await shortLived.test.grantCount("refresh_token"),
        await handshakes(shortLived),
      ];
      const token = client.auth.tokenManager.token?.accessToken;

      // Within 2 s the token expires: 4403, one renewal, a new handshake at once, the subscription resumed.
      await until(() => client.auth.tokenManager.token?.accessToken !== token, 4000);
      await bookUntilDelivered(events, { amount: 77 }, shortLived);
      expect(await shortLived.test.grantCount("refresh_token")).toBeGreaterThan(renewals);
      expect(await handshakes(shortLived)).toBeGreaterThan(connections);
      expect(client.auth.tokenManager.token?.confirmed).toBe(true);
      expect(events.errors).toEqual([]);
    } finally {
      await shortLived.close();
    }
  });

  it("sandbox.close() with an open subscription resolves; the client then reports a NetworkError", async () => {
    const closing = await startSandbox({ port: 0 });
    const client = await confirmedClient(closing);
    const { events } = subscribe(client);
    await bookUntilDelivered(events, { amount: 5 }, closing);
    const started = performance.now();
    await closing.close();
    expect(performance.now() - started).toBeLessThan(2000);
    // graphql-ws retries after 1001 Going away (after 1.3–4 s); the sandbox is gone, so that fails.
    await until(() => events.errors.length === 1, 8000);
    expect(isKontistAuthError(events.errors[0], "NETWORK_ERROR")).toBe(true);
  }, 20_000);
});
