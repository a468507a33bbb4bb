import type { WebLockManager } from "../src/webStorage/webStorageStore";

/**
 * The exclusive part of the Web Locks API (`navigator.locks`), which Node lacks: FIFO per name,
 * `ifAvailable`, and `signal` aborting a request that is still waiting (as browsers do).
 */
export function memoryLockManager(): WebLockManager {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();

  const grantNext = (name: string) => {
    const next = queues.get(name)?.shift();
    if (next === undefined) held.delete(name);
    else next();
  };

  return {
    request(name, options, callback) {
      const run = async () => {
        try {
          return await callback({ name, mode: "exclusive" });
        } finally {
          grantNext(name);
        }
      };
      if (!held.has(name)) {
        held.add(name);
        return run();
      }
      if (options.ifAvailable) return Promise.resolve(callback(null));
      return new Promise((resolve, reject) => {
        const queue = queues.get(name) ?? [];
        queues.set(name, queue);
        const start = () => {
          options.signal?.removeEventListener("abort", abort);
          run().then(resolve, reject);
        };
        const abort = () => {
          queue.splice(queue.indexOf(start), 1);
          reject(options.signal?.reason);
        };
        options.signal?.addEventListener("abort", abort, { once: true });
        queue.push(start);
      });
    },
  };
}
