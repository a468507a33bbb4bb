/**
 * Settles like `promise`, or rejects with the `reason` of `signal` as soon as it aborts. The promise
 * itself is not stopped (it may be shared, like a refresh other callers wait for); only this caller
 * stops waiting. The listener is removed either way.
 *
 * @throws the `reason` of `signal` when it aborts first (or had already fired); else what `promise` rejects with.
 * @example
 * const token = await untilAborted(client.auth.tokenManager.refresh(), AbortSignal.timeout(5_000));
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
