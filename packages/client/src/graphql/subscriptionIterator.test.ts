import { describe, expect, it } from "vitest";
import { NetworkError } from "../errors/NetworkError";
import { type SubscriptionSink, subscriptionIterator } from "./subscriptionIterator";

// The iterator over a subscription's callbacks, driven by hand: what the connection would report, and when.

/** An iterator whose subscription the test drives through `sink`; `ended` counts the calls ending it. */
function driven(signal?: AbortSignal) {
  let sink: SubscriptionSink<number> | undefined;
  const state = { ended: 0 };
  const iterator = subscriptionIterator<number>((given) => {
    sink = given;
    return () => {
      state.ended += 1;
    };
  }, signal);
  return { iterator, sink: () => sink as SubscriptionSink<number>, state };
}

const done = { done: true, value: undefined };

describe("subscriptionIterator", () => {
  it("keeps events until read, then throws a failure once, then is done", async () => {
    const { iterator, sink, state } = driven();
    sink().next(1);
    sink().next(2);
    const failure = new NetworkError("WebSocket /api/graphql", new Error("reset"));
    sink().error(failure);
    sink().next(3); // after the end: dropped
    expect(state.ended).toBe(1);
    await expect(iterator.next()).resolves.toEqual({ done: false, value: 1 });
    await expect(iterator.next()).resolves.toEqual({ done: false, value: 2 });
    await expect(iterator.next()).rejects.toBe(failure);
    await expect(iterator.next()).resolves.toEqual(done);
  });

  it("wakes every waiting next(), in order, and ends on completion", async () => {
    const { iterator, sink, state } = driven();
    const first = iterator.next();
    const second = iterator.next();
    sink().next(1);
    sink().next(2);
    sink().complete();
    await expect(first).resolves.toEqual({ done: false, value: 1 });
    await expect(second).resolves.toEqual({ done: false, value: 2 });
    await expect(iterator.next()).resolves.toEqual(done);
    expect(state.ended).toBe(1);
  });

  it("return() ends the subscription at once, also while a next() waits", async () => {
    const { iterator, sink, state } = driven();
    const waiting = iterator.next();
    await expect(iterator.return()).resolves.toEqual(done);
    await expect(waiting).resolves.toEqual(done);
    expect(state.ended).toBe(1);
    sink().next(1);
    await expect(iterator.next()).resolves.toEqual(done);
    await iterator.return();
    expect(state.ended).toBe(1);
  });

  it("an abort drops the events not read yet, ends the subscription and throws the reason once", async () => {
    const controller = new AbortController();
    const { iterator, sink, state } = driven(controller.signal);
    sink().next(1);
    const reason = new Error("stop");
    controller.abort(reason);
    expect(state.ended).toBe(1);
    await expect(iterator.next()).rejects.toBe(reason);
    await expect(iterator.next()).resolves.toEqual(done);
  });

  it("an aborted signal starts nothing", async () => {
    let started = false;
    const iterator = subscriptionIterator<number>(() => {
      started = true;
      return () => {};
    }, AbortSignal.abort());
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
    expect(started).toBe(false);
  });

  it("a subscription that ends while starting is ended, and for await sees its events", async () => {
    let ended = 0;
    const iterator = subscriptionIterator<number>((sink) => {
      sink.next(1);
      sink.complete();
      return () => {
        ended += 1;
      };
    }, undefined);
    expect(ended).toBe(1);
    const values: number[] = [];
    for await (const value of iterator) values.push(value);
    expect(values).toEqual([1]);
  });
});
