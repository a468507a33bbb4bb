import { getEventListeners } from "node:events";
import { isKontistAuthError, sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import {
  confirmedClient,
  handshake,
  open,
  query,
  record,
  scriptedServer,
  sockets,
  subscribed,
  subscriptionTests,
  waitFor,
} from "../../test/subscriptions";

// The two forms of client.graphQL.subscribe, and its signal, against the sandbox (a scripted server where
// the sandbox cannot do it: complete a subscription, fail one mid-stream).

const context = subscriptionTests();
const { ended, closers } = context;

type NewTransaction = { newTransaction: { id: string; amount: number; name: string | null } };

/**
 * A `for await` loop over `subscription { tick }` on a scripted server, collecting the events' data, once
 * the server has the subscription (`id`, for the server's answers).
 */
async function loopOverScriptedSubscription() {
  const server = await scriptedServer(closers);
  const received: unknown[] = [];
  const loop = (async () => {
    for await (const data of server.client.graphQL.subscribe("subscription { tick }")) received.push(data);
  })();
  await waitFor(() => sockets[0]?.messages("subscribe").length === 1);
  return { server, received, loop, id: sockets[0]?.messages("subscribe")[0]?.id };
}

describe("the iterator form (no next)", () => {
  it("yields each event's data; break ends the subscription and closes the socket", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox);
    const received: NewTransaction[] = [];
    const loop = (async () => {
      for await (const data of client.graphQL.subscribe<NewTransaction>(query)) {
        received.push(data);
        if (received.length === 2) break;
      }
    })();
    await subscribed(() => sockets[0]);
    const first = await sandbox.test.bookTransaction({ amount: 1 });
    const second = await sandbox.test.bookTransaction({ amount: -2, name: "Bakery" });
    await loop;
    expect(received).toEqual([
      { newTransaction: { id: first.id, amount: 1, name: null } },
      { newTransaction: { id: second.id, amount: -2, name: "Bakery" } },
    ]);
    await waitFor(() => sockets[0]?.closeCode !== undefined);
    expect(sockets[0]?.closeCode).toBe(1000);
    expect(sockets[0]?.messages("complete")).toHaveLength(1);
  });

  it("shares the one socket with the callback form", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox);
    const iterator = client.graphQL.subscribe<NewTransaction>(query);
    ended.push(() => iterator.return?.());
    const callbacks = record(ended, client);
    await subscribed(() => sockets[0], 2);
    const { id } = await sandbox.test.bookTransaction({ amount: 3 });
    await expect(iterator.next()).resolves.toEqual({
      done: false,
      value: { newTransaction: { id, amount: 3, name: null } },
    });
    await waitFor(() => callbacks.events.data.length === 1);
    expect(await sandbox.received(handshake)).toBe(1);
  });

  it("return() while a next() waits ends it at once: the next() is done, the socket closes", async () => {
    const { client } = await confirmedClient(context.sandbox);
    const iterator = client.graphQL.subscribe(query);
    const waiting = iterator.next();
    await subscribed(() => sockets[0]);
    await expect(iterator.return?.()).resolves.toEqual({ done: true, value: undefined });
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    await waitFor(() => sockets[0]?.closeCode === 1000);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("the server completing the subscription ends the loop, after the events before it", async () => {
    const { server, received, loop, id } = await loopOverScriptedSubscription();
    server.send({ id, type: "next", payload: { data: { tick: 1 } } });
    server.send({ id, type: "next", payload: { data: { tick: 2 } } });
    server.send({ id, type: "complete" });
    await loop;
    expect(received).toEqual([{ tick: 1 }, { tick: 2 }]);
  });

  it("a failure is thrown from the loop as the typed error, after the events before it", async () => {
    const { server, received, loop, id } = await loopOverScriptedSubscription();
    server.send({ id, type: "next", payload: { data: { tick: 1 } } });
    server.send({ id, type: "error", payload: [{ message: "Forbidden", extensions: { status: 403 } }] });
    const failure = await loop.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isKontistAuthError(failure, "GRAPHQL_ERROR")).toBe(true);
    expect(failure).toMatchObject({ status: 403 });
    expect(received).toEqual([{ tick: 1 }]);
  });
});

describe("signal", () => {
  it("aborted before the call: nothing starts; the callback form calls nothing, the iterator throws the reason", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox);
    const reason = new Error("not wanted any more");
    const signal = AbortSignal.abort(reason);
    const callbacks = record(ended, client, { signal });
    const iterator = client.graphQL.subscribe(query, { signal });
    await expect(iterator.next()).rejects.toBe(reason);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    await sleep(100);
    expect(sockets).toEqual([]);
    expect(await sandbox.received(handshake)).toBe(0);
    expect(callbacks.events).toEqual({ data: [], errors: [], completed: 0 });
  });

  it("aborted while connected: the callback form ends silently, the waiting next() throws an AbortError", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox);
    const controller = new AbortController();
    const callbacks = record(ended, client, { signal: controller.signal });
    const iterator = client.graphQL.subscribe(query, { signal: controller.signal });
    await subscribed(() => sockets[0], 2);
    const waiting = iterator.next();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    await waitFor(() => sockets[0]?.closeCode === 1000);
    expect(sockets[0]?.messages("complete")).toHaveLength(2);
    await sandbox.test.bookTransaction({ amount: 1 });
    await sleep(100);
    expect(callbacks.events).toEqual({ data: [], errors: [], completed: 0 });
    expect(open()).toEqual([]);
  });

  it("one signal for 30 subscriptions of both forms: one listener on it, no warning, all end on abort", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const callbacks = Array.from({ length: 15 }, () =>
        record(ended, client, { signal: controller.signal }),
      );
      const iterators = Array.from({ length: 15 }, () =>
        client.graphQL.subscribe(query, { signal: controller.signal }),
      );
      const waiting = iterators.map((iterator) => iterator.next());
      await subscribed(() => sockets[0], 30);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      controller.abort();
      for (const next of waiting) await expect(next).rejects.toMatchObject({ name: "AbortError" });
      await waitFor(() => sockets[0]?.closeCode === 1000);
      expect(sockets[0]?.messages("complete")).toHaveLength(30);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      await sleep(50); // Node emits the warning on a later tick
      expect(warnings.map((warning) => warning.name)).not.toContain("MaxListenersExceededWarning");
      expect(callbacks.every(({ events }) => events.errors.length === 0 && events.completed === 0)).toBe(
        true,
      );
    } finally {
      process.removeListener("warning", onWarning);
    }
  });

  it("aborting one subscription leaves the others running on the socket", async () => {
    const { sandbox } = context;
    const { client } = await confirmedClient(sandbox);
    const controller = new AbortController();
    const aborted = record(ended, client, { signal: controller.signal });
    const kept = record(ended, client);
    await subscribed(() => sockets[0], 2);
    controller.abort();
    await waitFor(() => sockets[0]?.messages("complete").length === 1);
    await sandbox.test.bookTransaction({ amount: 4 });
    await waitFor(() => kept.events.data.length === 1);
    expect(aborted.events.data).toEqual([]);
    expect(open()).toHaveLength(1);
  });
});
