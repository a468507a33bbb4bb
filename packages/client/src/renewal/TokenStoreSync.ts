import type { TokenStore } from "@kontist-auth/token-store";
import type { Token } from "../token/Token";
import type { CurrentToken } from "./CurrentToken";
import { type RenewalLockConfig, renewalLock } from "./renewalLock";
import { TokenPersistence } from "./TokenPersistence";

/** What {@link TokenStoreSync} needs of the client. */
export interface TokenStoreSyncConfig extends RenewalLockConfig {
  /** Where the token is kept between runs; none keeps it in memory only. */
  tokenStore?: TokenStore | undefined;
  /** The key of the client's token in `tokenStore`. */
  tokenStoreKey: string;
}

/**
 * Keeps the client's current token and its `tokenStore` in step: the stored token is loaded once (a
 * token set before wins), every change is written under the store's lock, in order, and the failure of
 * a write nobody awaited is kept for {@link TokenStoreSync.flush}. Without a store, everything resolves
 * at once and the current token counts as loaded.
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
        : new TokenPersistence(config.tokenStore, config.tokenStoreKey, { ioTimeout: config.timeout });
    this.#loaded = this.persistence === undefined;
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
