import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import type { TransactionRecord } from "../state/SandboxStore";
import { createNewTransactionFeed, maxPendingTransactionEvents } from "./newTransactionFeed";

const transaction = (userId: string, amount: number, name?: string): TransactionRecord => ({
  id: `t-${userId}-${amount}`,
  userId,
  amount,
  name,
  bookedAt: 0,
});

describe("createNewTransactionFeed", () => {
  it("delivers a user's transactions to that user's subscriptions only, in order", async () => {
    const feed = createNewTransactionFeed();
    const mine = feed.subscribe("u-1");
    const alsoMine = feed.subscribe("u-1");
    const theirs = feed.subscribe("u-2");
    const waiting = mine.next();
    feed.publish(transaction("u-1", 100, "Shop"));
    feed.publish(transaction("u-1", -5));
    expect(await waiting).toEqual({
      value: { newTransaction: { id: "t-u-1-100", amount: 100, name: "Shop" } },
      done: false,
    });
    expect((await mine.next()).value).toEqual({ newTransaction: { id: "t-u-1--5", amount: -5, name: null } });
    expect((await alsoMine.next()).value?.newTransaction.amount).toBe(100);
    const nothing = await Promise.race([theirs.next(), sleep(20).then(() => "none")]);
    expect(nothing).toBe("none");
    expect(feed.size).toBe(3);
  });

  it("ends a subscription on return(), also while next() waits, and forgets it", async () => {
    const feed = createNewTransactionFeed();
    const events = feed.subscribe("u-1");
    const waiting = events.next();
    expect(await events.return?.()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(feed.size).toBe(0);
    feed.publish(transaction("u-1", 1));
    expect(await events.next()).toEqual({ value: undefined, done: true });
    await events.return?.();
    expect(feed.size).toBe(0);
  });

  it("keeps at most the newest events for a subscriber that does not read", async () => {
    const feed = createNewTransactionFeed();
    const events = feed.subscribe("u-1");
    for (let amount = 1; amount <= maxPendingTransactionEvents + 5; amount += 1) {
      feed.publish(transaction("u-1", amount));
    }
    expect((await events.next()).value?.newTransaction.amount).toBe(6);
  });

  it("throw() ends the subscription and rejects with the error", async () => {
    const feed = createNewTransactionFeed();
    const events = feed.subscribe("u-1");
    await expect(events.throw?.(new Error("stop"))).rejects.toThrow("stop");
    expect(feed.size).toBe(0);
  });
});
