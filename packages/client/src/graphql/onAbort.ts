/** The listener one signal carries for every subscription sharing it, and what it calls. */
interface SharedAbortListener {
  readonly callbacks: Set<() => void>;
  readonly fire: () => void;
}

const shared = new WeakMap<AbortSignal, SharedAbortListener>();

/**
 * Calls `callback` once when `signal` aborts, through one `abort` listener per signal whatever the number
 * of callbacks: an app may pass one signal to hundreds of subscriptions, and Node warns
 * (`MaxListenersExceededWarning`) past 10 listeners on an `AbortSignal`. The listener is removed from the
 * signal with its last callback. Callbacks run in the order they were added; one removed by an earlier
 * callback is not called, as with the signal's own listeners.
 *
 * @returns the function that removes `callback` (idempotent).
 * @example
 * const controller = new AbortController();
 * const stop = onAbort(controller.signal, () => console.log("aborted"));
 * stop(); // or controller.abort() → "aborted"
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let listener = shared.get(signal);
  if (listener === undefined) {
    const callbacks = new Set<() => void>();
    const fire = () => {
      shared.delete(signal);
      // As an EventTarget does: a callback removed by an earlier one is not called.
      for (const each of [...callbacks]) if (callbacks.has(each)) each();
      callbacks.clear();
    };
    listener = { callbacks, fire };
    shared.set(signal, listener);
    signal.addEventListener("abort", fire, { once: true });
  }
  // A wrapper of its own: the same function added twice is two callbacks, removed one at a time.
  const entry = () => callback();
  const { callbacks, fire } = listener;
  callbacks.add(entry);
  return () => {
    if (!callbacks.delete(entry) || callbacks.size > 0 || shared.get(signal) !== listener) return;
    shared.delete(signal);
    signal.removeEventListener("abort", fire);
  };
}
