import type { TokenStore } from "@kontist-auth/token-store";
import type { EmitEvent } from "../events/ClientEvent";
import type { Token } from "../token/Token";
import type { CurrentToken } from "./CurrentToken";
import { type RenewalLockConfig, renewalLock } from "./renewalLock";
import { supersedes } from "./supersedes";
import { TokenPersistence } from "./TokenPersistence";

/** What {@link TokenStoreSync} needs of the client. */
export interface TokenStoreSyncConfig extends RenewalLockConfig {
  /** Where the token is kept between runs; none keeps it in memory only. */
  tokenStore?: TokenStore | undefined;
  /** The key of the client's token in `tokenStore`. */
  tokenStoreKey: string;
  /** Where `store.lockWaited` events go (the client's `onEvent`); none by default. */
  emit?: EmitEvent | undefined;
}

/**
 * Keeps the client's current token and its `tokenStore` in step: the stored token is loaded once (a
 * token set before wins), every change is written under the store's lock, in order, and the failure of
 * a write nobody awaited is kept for {@link TokenStoreSync.flush}. Where the store tells of changes made
 * elsewhere ({@link TokenStore.watch}: another tab), they are followed as they happen: a logout there
 * clears the current token, a better token of the same user is adopted. Without a store, everything
 * resolves at once and the current token counts as loaded.
 *
 * @example
 * import type { CurrentToken } from "./CurrentToken";
 * declare const config: TokenStoreSyncConfig, current: CurrentToken;
 * const sync = new TokenStoreSync(config, current);
 * await sync.load();
 * await sync.write(new Token({ accessToken: "at-1" }));
 */
export class TokenStoreSync {
  /** The store under the client's key, or `undefined` without a store. */
  readonly persistence: TokenPersistence | undefined;
  readonly #config: TokenStoreSyncConfig;
  readonly #current: CurrentToken;
  /** Whether the in-memory token is authoritative: loaded from the store, or set since. */
  #loaded: boolean;
  #loading: Promise<void> | undefined;
  /** Counts store writes, so only the latest one's outcome is what {@link TokenStoreSync.flush} reports. */
  #writeSerial = 0;
  /** The failure of the latest write when nobody awaited it (`setToken`, `clearToken`), for `flush()`. */
  #unreportedWriteFailure: { error: unknown } | undefined;

  constructor(config: TokenStoreSyncConfig, current: CurrentToken) {
    this.#config = config;
    this.#current = current;
    this.persistence =
      config.tokenStore === undefined
        ? undefined
        : new TokenPersistence(config.tokenStore, config.tokenStoreKey, {
            ioTimeout: config.timeout,
            emit: config.emit,
          });
    this.#loaded = this.persistence === undefined;
    if (this.persistence !== undefined) this.#watch(this.persistence);
  }

  /** Whether the stored token has been loaded (or a token set since, or there is no store). */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Notes that the current token was set: a later load must not replace it. */
  markLoaded(): void {
    this.#loaded = true;
  }

  /**
   * Loads the stored token once and makes it the current one. A failed load, or an empty store, is tried
   * again by the next call: a process that starts before another one has logged in picks the token up as
   * soon as it is stored.
   *
   * @throws {TokenStoreError} / {@link TimeoutError} when the store fails.
   */
  load(): Promise<void> {
    const persistence = this.persistence;
    if (this.#loaded || persistence === undefined) return Promise.resolve();
    this.#loading ??= (async () => {
      try {
        const generation = this.#current.generation();
        const stored = await persistence.read();
        // A token fetched, set or cleared meanwhile is newer than the stored one: it stays.
        if (this.#current.generation() !== generation) return;
        if (stored !== undefined) this.#current.set(stored);
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }

  /**
   * Queues a write of `token` (a delete for `null`) under the store's lock.
   *
   * @throws {TokenStoreError} / {@link TimeoutError} when the store fails.
   */
  write(token: Token | null): Promise<void> {
    const persistence = this.persistence;
    if (persistence === undefined) return Promise.resolve();
    return this.tracked(persistence.write(token, renewalLock(this.#config)));
  }

  /**
   * Notes the outcome of a store write for {@link TokenStoreSync.flush}: only the latest write counts,
   * since writes land in order and the latest decides what the store holds.
   */
  tracked(write: Promise<void>): Promise<void> {
    const serial = ++this.#writeSerial;
    write.then(
      () => {
        if (serial === this.#writeSerial) this.#unreportedWriteFailure = undefined;
      },
      () => {
        // A failure its caller awaited is reported to that caller; a background one is set below.
        if (serial === this.#writeSerial) this.#unreportedWriteFailure = undefined;
      },
    );
    return write;
  }

  /** A write nobody waits for: its failure goes to {@link TokenStoreSync.flush} (and `reportError`). */
  inBackground(write: Promise<void>): void {
    const serial = this.#writeSerial;
    write.catch((error: unknown) => {
      if (serial === this.#writeSerial) this.#unreportedWriteFailure = { error };
      globalThis.reportError?.(error);
    });
  }

  /**
   * Subscribes to the store's changes made elsewhere, where it can tell of them. The store's listener
   * holds this sync weakly: a client nobody uses any more is not kept alive by a long-lived store (a
   * module's `localStorage` store), and its listener stops at the next change after it was collected.
   */
  #watch(persistence: TokenPersistence): void {
    const sync = new WeakRef(this);
    let stop: (() => void) | undefined;
    stop = persistence.watch(() => {
      const alive = sync.deref();
      if (alive === undefined) stop?.();
      // A failure (the store cannot be read) goes to `reportError`; the next change or call tries again.
      else alive.#follow(persistence).catch((error: unknown) => globalThis.reportError?.(error));
    });
  }

  /**
   * Makes the current token what the store holds now, as a renewal would: a key emptied where this
   * client had seen its token is a logout elsewhere, followed (listeners get `null`); a better token of
   * the same user ({@link supersedes}: renewed or confirmed elsewhere; any token when there is none) is
   * adopted; another user's token changes nothing. Reads after this client's own queued writes have
   * landed, and leaves a token installed meanwhile alone (as a later change does: the outcome of an
   * older read is dropped). A client that has not loaded its token yet loads it.
   */
  async #follow(persistence: TokenPersistence): Promise<void> {
    await this.#loading?.catch(() => {});
    if (!this.#loaded) return this.load();
    await persistence.settled();
    const generation = this.#current.generation();
    const current = this.#current.token();
    const heldToken = persistence.heldToken;
    const stored = await persistence.read();
    if (this.#current.generation() !== generation) return;
    if (stored === undefined) {
      if (current !== null && heldToken) this.#current.set(null);
    } else if (supersedes(stored, current)) {
      this.#current.set(stored);
    }
  }

  /**
   * Waits until every write so far has settled.
   *
   * @throws what the latest write threw when it was a background one; it is reported once.
   */
  async flush(): Promise<void> {
    await this.persistence?.settled();
    const failure = this.#unreportedWriteFailure;
    this.#unreportedWriteFailure = undefined;
    if (failure !== undefined) throw failure.error;
  }
}
