/** Runs operations one at a time, in the order they were queued. */
export interface OperationQueue {
  /** Runs `operation` once every operation queued before it has settled; resolves or rejects as it does. */
  run<T>(operation: () => T | Promise<T>): Promise<T>;
}

/**
 * A FIFO lock for a PKCS#11 session. A session runs one operation at a time (PKCS#11 v2.40 §5.6: a
 * second `C_SignInit` while one is active fails with `CKR_OPERATION_ACTIVE`), and an asynchronous
 * pkcs11js call runs on a worker thread, so every call on a session goes through its queue.
 */
export function createOperationQueue(): OperationQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(operation: () => T | Promise<T>): Promise<T> {
      const result = tail.then(() => operation());
      tail = result.then(ignore, ignore);
      return result;
    },
  };
}

function ignore(): void {}
