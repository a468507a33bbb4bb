import {
  type StoredToken,
  type TokenStore,
  TokenStoreError,
  type TokenStoreLock,
} from "@kontist-auth/token-store";
import { isTokenStoreError, normalizeStoredToken } from "@kontist-auth/token-store/backend";
import { untilAborted } from "../async/untilAborted";
import { withTimeout } from "../async/withTimeout";
import { TimeoutError } from "../errors/TimeoutError";
import type { EmitEvent } from "../events/ClientEvent";
import type { Token } from "../token/Token";
import { fromStoredToken, toStoredToken } from "./storedToken";

/** How long store calls, and the work done under the store's lock, may take. */
export interface TokenPersistenceOptions {
  /** Milliseconds one store call (`get`, `set`, `delete`, a lock's `release`) may take. */
  ioTimeout: number;
  /** Where each wait for the store's lock goes (a `store.lockWaited` event); none by default. */
  emit?: EmitEvent | undefined;
}

/** The lock an {@link TokenPersistence.update} takes: how long it is held at most, and waited for. */
export interface UpdateLockOptions {
  /** The lock's TTL, in ms; also the deadline of the work done under it. */
  ttlMs: number;
  /** How long to wait for the lock, in ms. */
  timeoutMs: number;
}

/** The key, as an {@link TokenPersistence.update} sees it while it holds the store's lock. */
export interface LockedToken {
  /** Reads the stored token (see {@link TokenPersistence.read}). */
  read(): Promise<Token | undefined>;
  /**
   * Writes `token` (deletes the key for `null`) through the lock, so it lands only while the lock is
   * still held (`TOKEN_STORE_LOCK_LOST` otherwise, from a store whose lock can tell).
   *
   * @throws {TokenStoreError} when the store fails; {@link TimeoutError} after the update's deadline.
   */
  write(token: Token | null): Promise<void>;
  /** Aborts, with a {@link TimeoutError}, when the update's deadline passes: stop the work then. */
  readonly signal: AbortSignal;
}

/**
 * The client's token in its {@link TokenStore}, under one key. Every change goes through
 * {@link TokenPersistence.update}, one at a time in the order they were asked for (so an older token never
 * lands after a newer one), each under the store's lock for the key where the store has one (so it
 * cannot interleave with another process's renewal), and each within a deadline (so a store that hangs
 * cannot hold every caller forever). Every failure is a `TokenStoreError` (the store's own, or a
 * `TOKEN_STORE_ERROR` wrapping what a custom store threw) or a {@link TimeoutError}.
 *
 * @example
 * import { memoryStore } from "@kontist-auth/token-store";
 *
 * const persistence = new TokenPersistence(memoryStore(), "kontist-auth:my-client", { ioTimeout: 10_000 });
 * const token = await persistence.read();
 * await persistence.write(new Token({ accessToken: "at-1" }), { ttlMs: 20_000, timeoutMs: 30_000 });
 */
export class TokenPersistence {
  readonly #store: TokenStore;
  readonly #key: string;
  readonly #ioTimeout: number;
  readonly #emit: EmitEvent | undefined;
  #queue: Promise<void> = Promise.resolve();
  #heldToken = false;

  constructor(store: TokenStore, key: string, options: TokenPersistenceOptions) {
    this.#store = store;
    this.#key = key;
    this.#ioTimeout = options.ioTimeout;
    this.#emit = options.emit;
  }

  /** Whether the store can lock the key across processes. */
  get canLock(): boolean {
    return typeof this.#store.lock === "function";
  }

  /**
   * Whether the key held a token when this client last saw it: its last successful read found one, or
   * its last successful write stored one. A key found empty after that was deleted by someone (a logout).
   */
  get heldToken(): boolean {
    return this.#heldToken;
  }

  /**
   * The stored token, or `undefined`.
   *
   * @throws {TokenStoreError} when the store fails, or returns something that is not a token
   *   (`TOKEN_STORE_CORRUPT`).
   * @throws {TimeoutError} when the store does not answer within `ioTimeout`.
   */
  async read(): Promise<Token | undefined> {
    let value: unknown;
    try {
      value = await withTimeout(this.#store.get(this.#key), this.#ioTimeout, "reading the token store");
    } catch (error) {
      throw storeError(error, "read");
    }
    if (value === undefined || value === null) {
      this.#heldToken = false;
      return undefined;
    }
    const stored = normalizeStoredToken(value);
    if (stored === undefined) {
      throw new TokenStoreError(
        "TOKEN_STORE_CORRUPT",
        "The token store returned a value that is not a StoredToken for the client's key.",
      );
    }
    this.#heldToken = true;
    return fromStoredToken(stored);
  }

  /**
   * Queues writing `token` (deleting the key for `null`) under the store's lock, after every earlier
   * change.
   *
   * @throws {TokenStoreError} when the store fails or the lock cannot be taken.
   * @throws {TimeoutError} when the store does not answer in time.
   */
  write(token: Token | null, lock: UpdateLockOptions): Promise<void> {
    const what = token === null ? "deleting the token from the token store" : "writing the token store";
    return this.update(what, lock, (key) => key.write(token));
  }

  /**
   * Runs `task` after every earlier change, holding the store's lock for the key (where the store has
   * one) from before it starts until it has settled. `task` must finish within `lock.ttlMs` (the lock is
   * not this holder's after that): past it, `signal` aborts, writes are refused, and `update` rejects.
   *
   * @param what - what the task does, for a {@link TimeoutError}'s message, e.g. `renewing the token`.
   * @throws {TokenStoreError} `TOKEN_STORE_LOCK_TIMEOUT` when the lock is not taken in time, or the store's
   *   failure; what `task` throws.
   * @throws {TimeoutError} when the lock is neither taken nor refused in time (a hung store), or the task
   *   outlives `lock.ttlMs`.
   */
  update<T>(what: string, lock: UpdateLockOptions, task: (key: LockedToken) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => this.#locked(what, lock, task));
    this.#queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  /**
   * Calls `onChange` when the store tells of a change to the key made elsewhere (another tab), where the
   * store can ({@link TokenStore.watch}); read the key again to see it.
   *
   * @returns a function that stops watching, or `undefined` when the store cannot watch, or its `watch`
   *   threw (reported to `reportError`: the client works on without it, as with a store that cannot).
   */
  watch(onChange: () => void): (() => void) | undefined {
    if (typeof this.#store.watch !== "function") return undefined;
    try {
      const stop = this.#store.watch(this.#key, onChange);
      return typeof stop === "function" ? stop : undefined;
    } catch (error) {
      globalThis.reportError?.(storeError(error, "watch"));
      return undefined;
    }
  }

  /** Resolves once every change queued so far has settled (failed ones included). */
  settled(): Promise<void> {
    return this.#queue;
  }

  async #locked<T>(
    what: string,
    options: UpdateLockOptions,
    task: (key: LockedToken) => Promise<T>,
  ): Promise<T> {
    const lock = this.canLock ? await this.#lock(options) : undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutError(what, options.ttlMs)), options.ttlMs);
    const { signal } = controller;
    const key: LockedToken = {
      signal,
      read: () => untilAborted(this.read(), signal),
      write: (token) => {
        if (signal.aborted) return Promise.reject(signal.reason);
        return untilAborted(this.#write(token, lock), signal);
      },
    };
    try {
      return await untilAborted(task(key), signal);
    } finally {
      clearTimeout(timer);
      // No write of this task lands once the lock is let go.
      controller.abort(new TimeoutError(what, options.ttlMs));
      if (lock !== undefined) {
        // Should the release fail or hang, the lock lapses after its TTL; the work itself is done.
        await withTimeout(lock.release(), this.#ioTimeout, "releasing the token store's lock").catch(
          (error: unknown) => globalThis.reportError?.(error),
        );
      }
    }
  }

  /**
   * Takes the store's lock for the key, waiting `timeoutMs` at most (plus `ioTimeout` for a store that
   * does not keep its own timeout); a lock granted after that is released at once. The store's answer is
   * an event (`store.lockWaited`), with the lock or without.
   */
  async #lock(options: UpdateLockOptions): Promise<TokenStoreLock> {
    let abandoned = false;
    try {
      const locking = Promise.resolve().then(() => this.#store.lock?.(this.#key, options));
      locking.then(
        (lock) => {
          if (abandoned) void lock?.release().catch(() => {});
        },
        () => {},
      );
      this.#emit?.("lock", locking);
      const lock = await withTimeout(
        locking,
        options.timeoutMs + this.#ioTimeout,
        "waiting for the token store's lock",
      );
      if (lock === undefined) throw new TypeError("the token store has no lock()");
      return lock;
    } catch (error) {
      abandoned = true;
      throw storeError(error, "lock");
    }
  }

  async #write(token: Token | null, lock: TokenStoreLock | undefined): Promise<void> {
    const stored: StoredToken | undefined = token === null ? undefined : toStoredToken(token);
    const what = token === null ? "deleting the token from the token store" : "writing the token store";
    try {
      await withTimeout(this.#send(stored, lock), this.#ioTimeout, what);
    } catch (error) {
      throw storeError(error, token === null ? "delete" : "write");
    }
    this.#heldToken = token !== null;
  }

  /** Writes through the lock where it can (so a lapsed lock refuses the write), else through the store. */
  #send(stored: StoredToken | undefined, lock: TokenStoreLock | undefined): Promise<void> {
    if (stored === undefined) {
      return typeof lock?.delete === "function" ? lock.delete() : this.#store.delete(this.#key);
    }
    return typeof lock?.set === "function" ? lock.set(stored) : this.#store.set(this.#key, stored);
  }
}

function storeError(error: unknown, what: string): unknown {
  if (isTokenStoreError(error) || error instanceof TimeoutError) return error;
  return new TokenStoreError("TOKEN_STORE_ERROR", `The token store failed to ${what} the client's token.`, {
    cause: error,
  });
}
