import type { TransactionRecord } from "../state/SandboxStore";

/** A transaction as `newTransaction` selects it: the fields of Kontist's `Transaction` the sandbox has. */
export interface TransactionView {
  id: string;
  /** In cents. */
  amount: number;
  name: string | null;
}

/** One event of a `newTransaction` subscription: the root value its selection runs against. */
export interface NewTransactionEvent {
  newTransaction: TransactionView;
}

/**
 * Events a subscriber has not taken yet, at most; past that the oldest is dropped (a subscriber that reads
 * nothing cannot make the sandbox hold unbounded memory).
 */
export const maxPendingTransactionEvents = 100;

/** The live `newTransaction` subscriptions, per user. */
export interface NewTransactionFeed {
  /** Hands `transaction` to every open subscription of its user (and nobody else's). */
  publish(transaction: TransactionRecord): void;
  /**
   * A subscription to `userId`'s new transactions, for graphql-js's `subscribe`: an async iterator whose
   * `return()` ends it at once, even while a `next()` is waiting.
   */
  subscribe(userId: string): AsyncIterableIterator<NewTransactionEvent>;
  /** How many subscriptions are open, for all users. */
  readonly size: number;
}

/**
 * Creates the feed that `POST /sandbox/transactions` publishes to and the `newTransaction` subscription
 * reads.
 *
 * @example
 * const userId = "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01";
 * const feed = createNewTransactionFeed();
 * const events = feed.subscribe(userId);
 * feed.publish({ id: "tx-1", userId, amount: -1250, name: "Coffee Roasters GmbH", bookedAt: Date.now() });
 * const { value } = await events.next();
 * // value: { newTransaction: { id: "tx-1", amount: -1250, name: "Coffee Roasters GmbH" } }
 * await events.return?.(); // ends the subscription
 */
export function createNewTransactionFeed(): NewTransactionFeed {
  const subscribers = new Map<string, Set<(event: NewTransactionEvent) => void>>();
  let size = 0;

  return {
    get size() {
      return size;
    },
    publish(transaction) {
      const event: NewTransactionEvent = {
        newTransaction: { id: transaction.id, amount: transaction.amount, name: transaction.name ?? null },
      };
      for (const deliver of subscribers.get(transaction.userId) ?? []) deliver(event);
    },
    subscribe(userId) {
      const pending: NewTransactionEvent[] = [];
      const waiting: ((result: IteratorResult<NewTransactionEvent, undefined>) => void)[] = [];
      let open = true;
      const deliver = (event: NewTransactionEvent) => {
        const next = waiting.shift();
        if (next !== undefined) return next({ value: event, done: false });
        pending.push(event);
        if (pending.length > maxPendingTransactionEvents) pending.shift();
      };
      const own = subscribers.get(userId) ?? new Set();
      own.add(deliver);
      subscribers.set(userId, own);
      size += 1;

      const end = (): Promise<IteratorResult<NewTransactionEvent, undefined>> => {
        if (open) {
          open = false;
          size -= 1;
          own.delete(deliver);
          if (own.size === 0 && subscribers.get(userId) === own) subscribers.delete(userId);
          pending.length = 0;
          for (const next of waiting.splice(0)) next({ value: undefined, done: true });
        }
        return Promise.resolve({ value: undefined, done: true });
      };
      const iterator: AsyncIterableIterator<NewTransactionEvent> = {
        next() {
          const event = pending.shift();
          if (event !== undefined) return Promise.resolve({ value: event, done: false });
          if (!open) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => waiting.push(resolve));
        },
        return: end,
        async throw(error: unknown) {
          await end();
          throw error;
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  };
}
