/**
 * Waits `ms` milliseconds, or until `signal` aborts. The timer is cleared and the listener removed in
 * either case, so a cancelled wait leaves nothing behind. The one sleep of every `@kontist-auth/*`
 * package.
 *
 * @throws the `reason` of `signal` when it aborts first (or had already fired).
 * @example
 * const controller = new AbortController();
 * await sleep(3_000, controller.signal); // rejects with the reason once controller.abort(reason) is called
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
