import { sleep } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { useFreshSandbox } from "../../test/freshSandbox";
import {
  connectedGraphQLSocket,
  type GraphQLSocket,
  newTransactionSubscription,
  openGraphQLSocket,
} from "../../test/graphQLWebSocket";
import { confirm, graphQLAnswer, other, passwordToken } from "../../test/requests";
import { startSandbox } from "../index";
import {
  maxSubscriptionsPerConnection,
  maxWebSocketConnections,
  maxWebSocketMessageBytes,
} from "./serveGraphQLOverWebSocket";

const fresh = useFreshSandbox();
const sockets: GraphQLSocket[] = [];

afterEach(() => {
  for (const { socket } of sockets.splice(0)) socket.terminate();
});

/** Kontist's `extensions` of an error standing for `status`. */
const extensions = (status: number) => ({
  status,
  type: `http://www.iana.org/assignments/http-status-codes#${status}`,
});

async function open(options?: Parameters<typeof openGraphQLSocket>[1]) {
  const socket = await openGraphQLSocket(fresh.sandbox, options);
  sockets.push(socket);
  return socket;
}

async function connected(accessToken: string) {
  const socket = await connectedGraphQLSocket(fresh.sandbox, accessToken);
  sockets.push(socket);
  return socket;
}

async function confirmedToken(): Promise<string> {
  return (await confirm(fresh.sandbox, fresh.accessToken)).token;
}

const balance = async (token: string) =>
  (await graphQLAnswer(fresh.sandbox, token, "{ viewer { mainAccount { balance } } }")).data.viewer
    .mainAccount.balance as number;

describe("newTransaction over WebSocket (graphql-ws)", () => {
  it("delivers a booked transaction to a confirmed subscriber, and the balance changes", async () => {
    const token = await confirmedToken();
    const before = await balance(token);
    const connection = await connected(token);
    connection.send({ id: "1", type: "subscribe", payload: { query: newTransactionSubscription } });
    await sleep(50); // the subscription is set up once the message is handled

    const { id } = await fresh.sandbox.test.bookTransaction({ amount: -1250, name: "Coffee Roasters GmbH" });
    expect(await connection.next()).toEqual({
      id: "1",
      type: "next",
      payload: { data: { newTransaction: { id, amount: -1250, name: "Coffee Roasters GmbH" } } },
    });
    const { id: second } = await fresh.sandbox.test.bookTransaction({ amount: 500 });
    expect(await connection.next()).toEqual({
      id: "1",
      type: "next",
      payload: { data: { newTransaction: { id: second, amount: 500, name: null } } },
    });
    expect(await balance(token)).toBe(before - 1250 + 500);
  });

  it("does not deliver another user's transactions", async () => {
    const connection = await connected(await confirmedToken());
    connection.send({ id: "mine", type: "subscribe", payload: { query: newTransactionSubscription } });
    await sleep(50);
    await fresh.sandbox.test.bookTransaction({ amount: 999, email: other.email });
    const { id: mine } = await fresh.sandbox.test.bookTransaction({ amount: 1, email: "DEMO@example.com" });
    expect(await connection.next()).toMatchObject({
      id: "mine",
      payload: { data: { newTransaction: { id: mine } } },
    });
  });

  it("answers an unconfirmed token with a 403 error and completes", async () => {
    const connection = await connected(fresh.accessToken);
    connection.send({ id: "a", type: "subscribe", payload: { query: newTransactionSubscription } });
    expect(await connection.next()).toEqual({
      id: "a",
      type: "next",
      payload: {
        errors: [
          {
            message: expect.stringContaining("confirmed token"),
            locations: [{ line: 1, column: 16 }],
            path: ["newTransaction"],
            extensions: extensions(403),
          },
        ],
      },
    });
    expect(await connection.next()).toEqual({ id: "a", type: "complete" });
    await fresh.sandbox.test.bookTransaction({ amount: 1 });
    expect(await connection.receivesWithin(100)).toBe(false);
  });

  it("stops delivering after the client completes the subscription", async () => {
    const connection = await connected(await confirmedToken());
    connection.send({ id: "1", type: "subscribe", payload: { query: newTransactionSubscription } });
    await sleep(50);
    connection.send({ id: "1", type: "complete" });
    await sleep(50);
    await fresh.sandbox.test.bookTransaction({ amount: 1 });
    expect(await connection.receivesWithin(100)).toBe(false);
  });

  it("serves only subscriptions, and answers bad documents with status 400 errors", async () => {
    const connection = await connected(await confirmedToken());
    const cases: [string, string][] = [
      ["{ viewer { id } }", "send queries and mutations with POST /api/graphql"],
      ["subscription { newTransaction { id ", "Syntax Error"],
      ["subscription { newTransaction { iban } }", 'Cannot query field "iban"'],
      [`subscription { newTransaction { id } } ${" ".repeat(10_000)}`, "too long"],
    ];
    for (const [index, [query, message]] of cases.entries()) {
      connection.send({ id: `q${index}`, type: "subscribe", payload: { query } });
      expect(await connection.next()).toEqual({
        id: `q${index}`,
        type: "error",
        payload: [
          expect.objectContaining({ message: expect.stringContaining(message), extensions: extensions(400) }),
        ],
      });
    }
    connection.send({
      id: "v",
      type: "subscribe",
      payload: {
        query: "subscription ($x: Boolean!) { newTransaction { id @include(if: $x) } }",
        variables: { x: "secret-value" },
      },
    });
    const answer = await connection.next();
    expect(answer).toMatchObject({
      id: "v",
      type: "next",
      payload: { errors: [{ extensions: extensions(400) }] },
    });
    expect(JSON.stringify(answer)).not.toContain("secret-value");
  });

  it(`runs at most ${maxSubscriptionsPerConnection} subscriptions per connection (429 beyond)`, async () => {
    const connection = await connected(await confirmedToken());
    for (let index = 0; index < maxSubscriptionsPerConnection; index += 1) {
      connection.send({ id: `s${index}`, type: "subscribe", payload: { query: newTransactionSubscription } });
    }
    connection.send({ id: "one-more", type: "subscribe", payload: { query: newTransactionSubscription } });
    expect(await connection.next()).toEqual({
      id: "one-more",
      type: "error",
      payload: [{ message: expect.stringContaining("Too many subscriptions"), extensions: extensions(429) }],
    });
  });
});

describe("authentication of a WebSocket connection", () => {
  it("refuses a connection without a valid token with 4403 Forbidden, never quoting the token", async () => {
    const expired = (await passwordToken(fresh.sandbox)).access_token.replace(/\.[^.]+$/, ".AAAA");
    for (const payload of [
      undefined,
      {},
      { Authorization: 42 },
      { Authorization: "Basic ZGVtbzpkZW1v" },
      { Authorization: "Bearer not-a-token-at-all" },
      { Authorization: `Bearer ${expired}` },
    ]) {
      const connection = await open();
      connection.send(
        payload === undefined ? { type: "connection_init" } : { type: "connection_init", payload },
      );
      const { code, reason } = await connection.closed;
      expect(code).toBe(4403);
      expect(reason).toMatch(/^Forbidden: /);
      expect(reason).not.toContain("not-a-token");
      expect(reason).not.toContain(expired.slice(0, 20));
    }
  });

  it("accepts the lower-case authorization parameter too", async () => {
    const connection = await open();
    connection.send({ type: "connection_init", payload: { authorization: `Bearer ${fresh.accessToken}` } });
    expect(await connection.next()).toEqual({ type: "connection_ack" });
  });

  it("closes the connection with 4403 when its access token expires", async () => {
    const shortLived = await startSandbox({ port: 0, accessTokenTtl: 1 });
    try {
      const { access_token } = await passwordToken(shortLived);
      const connection = await connectedGraphQLSocket(shortLived, access_token);
      sockets.push(connection);
      expect(await connection.closed).toEqual({
        code: 4403,
        reason: "Forbidden: the access token has expired.",
      });
    } finally {
      await shortLived.close();
    }
  });

  it("refuses a subscribe before connection_init with 4401", async () => {
    const connection = await open();
    connection.send({ id: "1", type: "subscribe", payload: { query: newTransactionSubscription } });
    expect((await connection.closed).code).toBe(4401);
  });
});

describe("robustness of the WebSocket endpoint", () => {
  it("closes with 4400 on frames that are not client messages, never with 4500", async () => {
    for (const frame of [
      "not json",
      "[]",
      "null",
      JSON.stringify({ type: "next", id: "1", payload: {} }),
      JSON.stringify({ type: "connection_ack" }),
      JSON.stringify({ type: "subscribe" }),
      JSON.stringify({ type: "subscribe", id: "1", payload: { query: 7 } }),
      Buffer.from([0xff, 0x00, 0x13]),
    ]) {
      const connection = await open();
      connection.send({ type: "connection_init", payload: { Authorization: `Bearer ${fresh.accessToken}` } });
      await connection.next();
      connection.send(frame);
      expect((await connection.closed).code).toBe(4400);
    }
  });

  it("closes with 1009 on a message over the size limit, and 4406 without graphql-ws's subprotocol", async () => {
    const big = await open();
    big.send("x".repeat(maxWebSocketMessageBytes + 1));
    expect((await big.closed).code).toBe(1009);
    const wrongProtocol = await open({ protocol: null });
    expect((await wrongProtocol.closed).code).toBe(4406);
  });

  it("survives a subscriber id longer than a close reason can carry", async () => {
    const connection = await connected(fresh.accessToken);
    const id = "x".repeat(200);
    connection.send({ id, type: "subscribe", payload: { query: newTransactionSubscription } });
    connection.send({ id, type: "subscribe", payload: { query: newTransactionSubscription } });
    expect((await connection.closed).code).toBe(4409);
    const still = await connected(fresh.accessToken);
    expect(still.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("answers a handshake elsewhere with 404, and counts handshakes as GET /api/graphql", async () => {
    await expect(open({ path: "/api/elsewhere" })).rejects.toThrow("404");
    await open();
    await open({ path: "/api/graphql/" });
    const stats = await fresh.sandbox.test.stats();
    expect(stats.requests["GET /api/graphql"]).toBe(2);
  });

  it(`accepts at most ${maxWebSocketConnections} connections at a time (503 beyond)`, async () => {
    const opened = await Promise.all(Array.from({ length: maxWebSocketConnections }, () => open()));
    await expect(open()).rejects.toThrow("503");
    opened[0]?.socket.close();
    await opened[0]?.closed;
    await open();
  });
});

describe("closing the sandbox", () => {
  it("closes open subscriptions with 1001 and resolves", async () => {
    const sandbox = await startSandbox({ port: 0 });
    const { access_token } = await passwordToken(sandbox);
    const { token } = await confirm(sandbox, access_token);
    const connection = await connectedGraphQLSocket(sandbox, token);
    connection.send({ id: "1", type: "subscribe", payload: { query: newTransactionSubscription } });
    await sleep(50);
    const started = performance.now();
    await sandbox.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await connection.closed).toEqual({ code: 1001, reason: "Going away: the sandbox is closing." });
  });

  it("cuts off a peer that does not answer the closing handshake", async () => {
    const sandbox = await startSandbox({ port: 0 });
    const { access_token } = await passwordToken(sandbox);
    const connection = await connectedGraphQLSocket(sandbox, access_token);
    // A peer that reads nothing any more: it never answers the close frame.
    connection.socket.pause();
    const started = performance.now();
    await sandbox.close();
    // It waited for the answer a while, then cut the connection.
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(performance.now() - started).toBeLessThan(2000);
    connection.socket.terminate();
  });
});
