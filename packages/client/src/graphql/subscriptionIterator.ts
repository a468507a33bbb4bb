import type { KontistAuthError } from "@kontist-auth/protocol";
import { onAbort } from "./onAbort";

/** The async iterator of a subscription: `return()` ends it at once, even while a `next()` waits. */
export interface SubscriptionIterator<Data> extends AsyncIterableIterator<Data> {
  return(): Promise<IteratorReturnResult<undefined>>;
}

/** The callbacks a subscription reports to. */
export interface SubscriptionSink<Data> {
  next(data: Data): void;
  error(error: KontistAuthError): void;
  complete(): void;
}

const finished: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * An async iterator over a subscription that `start` starts at once with callbacks, returning the
 * function that ends it. Events wait in the iterator until read (as many as arrive). After the last
 * event read, a failure is thrown from `next()` (once; then it is done) and a completion ends it.
 * `return()` (a `break` out of `for await`) ends the subscription, also while a `next()` waits, which then
 * resolves as done. When `signal` aborts, the subscription ends, events not read yet are dropped, and
 * `next()` throws the signal's `reason` (once), as `fetch` and Node's `events.on` do.
 *
 * @example
 * const iterator = subscriptionIterator<number>((sink) => {
 *   sink.next(1);
 *   sink.complete();
 *   return () => {};
 * }, undefined);
 * for await (const value of iterator) console.log(value); // 1
 */
export function subscriptionIterator<Data>(
  start: (sink: SubscriptionSink<Data>) => () => void,
  signal: AbortSignal | undefined,
): SubscriptionIterator<Data> {
  const events: Data[] = [];
  let failure: { error: unknown } | undefined;
  let done = false;
  const waiting: (() => void)[] = [];
  const wake = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  let unsubscribe = () => {};
  let stopListening = () => {};
  const end = () => {
    if (done) return;
    done = true;
    stopListening();
    unsubscribe();
    wake();
  };
  const aborted = () => {
    events.length = 0;
    failure ??= { error: signal?.reason };
    end();
  };

  if (signal?.aborted) aborted();
  else {
    if (signal !== undefined) stopListening = onAbort(signal, aborted);
    unsubscribe = start({
      next: (data) => {
        if (done) return;
        events.push(data);
        wake();
      },
      error: (error) => {
        if (done) return;
        failure = { error };
        end();
      },
      complete: end,
    });
    if (done) unsubscribe();
  }

  return {
    async next(): Promise<IteratorResult<Data>> {
      for (;;) {
        if (events.length > 0) return { done: false, value: events.shift() as Data };
        if (failure !== undefined) {
          const { error } = failure;
          failure = undefined;
          throw error;
        }
        if (done) return finished;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    async return() {
      events.length = 0;
      failure = undefined;
      end();
      return finished;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
