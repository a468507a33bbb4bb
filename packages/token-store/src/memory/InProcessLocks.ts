import { lockTimeoutError } from "../errors";
import { resolveLockOptions } from "../store/resolveLockOptions";
import type { TokenStoreLockOptions } from "../store/TokenStore";

interface Lease {
  readonly owner: object;
  readonly expiresAt: number;
}

/** A lease of {@link InProcessLocks}: release it, and ask whether it is still this holder's. */
export interface InProcessLease {
  /** Frees the key, unless the lease lapsed and went to another holder since; harmless twice. */
  release(): Promise<void>;
  /** Whether the lease is still this holder's: not released, not lapsed (so no one else can have it). */
  isHeld(): boolean;
}

/**
 * Exclusive locks by key within one JavaScript realm, with the TTL and timeout semantics of
 * `TokenStore.lock`: a lease not released within its TTL lapses, and waiters are woken when a lease is
 * released or lapses (no polling).
 *
 * @example
 * const tokens = new Map<string, string>();
 * const locks = new InProcessLocks();
 * const lease = await locks.acquire("key", { ttlMs: 1_000, timeoutMs: 5_000 });
 * if (lease.isHeld()) tokens.set("key", "value"); // not lapsed: no one else holds the key
 * await lease.release();
 */
export class InProcessLocks {
  readonly #leases = new Map<string, Lease>();
  readonly #waiters = new Map<string, Set<() => void>>();

  /**
   * Resolves once `key` is free (or its lease lapsed), holding it for at most `ttlMs`.
   *
   * @throws {TokenStoreError} `TOKEN_STORE_LOCK_TIMEOUT` after `timeoutMs`.
   * @throws {TypeError} for bad options.
   */
  async acquire(key: string, options?: TokenStoreLockOptions): Promise<InProcessLease> {
    const { ttlMs, timeoutMs } = resolveLockOptions(options);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = Date.now();
      const lease = this.#leases.get(key);
      if (lease === undefined || lease.expiresAt <= now) return this.#take(key, now + ttlMs);
      if (now >= deadline) throw lockTimeoutError(timeoutMs);
      await this.#changeOf(key, Math.min(deadline, lease.expiresAt) - now);
    }
  }

  #take(key: string, expiresAt: number): InProcessLease {
    const owner = {};
    this.#leases.set(key, { owner, expiresAt });
    return {
      isHeld: () => {
        const lease = this.#leases.get(key);
        return lease?.owner === owner && lease.expiresAt > Date.now();
      },
      release: async () => {
        // A lapsed lease may have gone to another holder since: leave theirs alone.
        if (this.#leases.get(key)?.owner !== owner) return;
        this.#leases.delete(key);
        for (const wake of this.#waiters.get(key) ?? []) wake();
      },
    };
  }

  /** Resolves when a lease of `key` is released, or after `ms` (when a lease lapses or a waiter gives up). */
  #changeOf(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(key) ?? new Set();
      this.#waiters.set(key, waiters);
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      waiters.add(wake);
    });
  }
}
