import { NoTokenError } from "../errors/NoTokenError";
import { TokenRenewalError } from "../errors/TokenRenewalError";
import type { EmitEvent } from "../events/ClientEvent";
import type { Token } from "../token/Token";
import { refreshTokenGrant } from "../tokenEndpoint/refreshTokenGrant";
import type { CurrentToken } from "./CurrentToken";
import { canRenewSilently, type SilentRenewalConfig } from "./canRenewSilently";
import { isDue } from "./isDue";
import { renewalLock } from "./renewalLock";
import { supersedes } from "./supersedes";
import type { LockedToken } from "./TokenPersistence";
import type { TokenStoreSync } from "./TokenStoreSync";

/** What a {@link TokenRenewal} needs of the client. */
export interface RenewalConfig extends SilentRenewalConfig {
  /** Milliseconds a token request, or one token store call, may take. */
  timeout: number;
  /** Milliseconds before expiry from which a token is due for renewal. */
  refreshLeeway: number;
  /** Where `renewal.*` events go (the client's `onEvent`); none by default. */
  emit?: EmitEvent | undefined;
}

/**
 * Renews the client's current token, one renewal at a time: concurrent calls share it. With the
 * refresh token grant, or silently in a browser for a PKCE client. With a token store, under the
 * store's lock for the key: the stored token is read again first, and a better one another process
 * stored meanwhile (the same user's, confirmed or newer) is adopted instead of renewing; a key found
 * empty where the client had seen its token means a logout elsewhere, which the renewal does not undo.
 * A token installed meanwhile (`setToken`, a confirmation, a logout) is never overwritten.
 *
 * @example
 * import type { CurrentToken } from "./CurrentToken";
 * import type { TokenStoreSync } from "./TokenStoreSync";
 * declare const config: RenewalConfig, current: CurrentToken, sync: TokenStoreSync;
 * const renewal = new TokenRenewal(config, current, sync);
 * const token = await renewal.refresh();
 */
export class TokenRenewal {
  readonly #config: RenewalConfig;
  readonly #current: CurrentToken;
  readonly #sync: TokenStoreSync;
  #refreshing: Promise<Token> | undefined;

  constructor(config: RenewalConfig, current: CurrentToken, sync: TokenStoreSync) {
    this.#config = config;
    this.#current = current;
    this.#sync = sync;
  }

  /** Whether the current token can be renewed without the user (a refresh token, or silent renewal). */
  get canRenew(): boolean {
    return this.#current.token()?.refreshToken !== undefined || canRenewSilently(this.#config);
  }

  /**
   * The current token (loaded from the store first), renewed first when it is due ({@link isDue}) and
   * can be renewed. When the renewal fails while the token is still valid, the token is used anyway (the
   * next call tries again); when it has expired, the renewal's error is thrown.
   *
   * @throws {NoTokenError} when the client holds no token (nor has its store one).
   * @throws the store's errors while loading, and those of {@link TokenRenewal.refresh}.
   */
  async validToken(): Promise<Token> {
    await this.#sync.load();
    const token = this.#current.token();
    if (token === null) throw new NoTokenError("getValidToken()");
    if (!isDue(token, this.#config.refreshLeeway) || !this.canRenew) return token;
    try {
      await this.refresh();
    } catch (error) {
      const current = this.#current.token();
      if (current !== null && !current.isExpired()) return current;
      throw error;
    }
    const current = this.#current.token();
    if (current === null) throw new NoTokenError("getValidToken()");
    return current;
  }

  /**
   * Renews the current token, or joins the renewal under way; the next call after it settles renews
   * again. The current token is replaced only when nothing replaced it meanwhile. Each renewal emits
   * `renewal.started`, then `renewal.succeeded` or `renewal.failed` with its duration.
   *
   * @throws {TokenRenewalError} when there is nothing to renew with, or the store no longer holds the
   *   client's token (a logout elsewhere).
   * @throws the errors of the refresh token grant or silent renewal, and the store's.
   */
  refresh(): Promise<Token> {
    if (this.#refreshing === undefined) {
      this.#refreshing = this.#renew().finally(() => {
        this.#refreshing = undefined;
      });
      // Once it is under way (a listener that calls refresh() joins it); its end is read from its promise.
      this.#config.emit?.("renewal", this.#refreshing);
    }
    return this.#refreshing;
  }

  #renew(): Promise<Token> {
    // `current` is taken synchronously once loaded, so a token installed after refresh() was called wins.
    return this.#sync.loaded ? this.#renewLoaded() : this.#sync.load().then(() => this.#renewLoaded());
  }

  async #renewLoaded(): Promise<Token> {
    const current = this.#current.token();
    const generation = this.#current.generation();
    const persistence = this.#sync.persistence;
    if (persistence !== undefined) {
      return persistence.update("the token renewal", renewalLock(this.#config), (key) =>
        this.#renewWithStore(key, persistence.heldToken, current, generation),
      );
    }
    const token = await this.#renewFrom(current, undefined);
    // A token installed meanwhile (setToken, a confirmation) is newer, and one cleared (clearToken, logout)
    // stays cleared, even when there was none before: keep what is there.
    if (this.#current.generation() === generation) this.#current.set(token);
    return token;
  }

  /**
   * A renewal with the store's key in hand (locked, where the store can): the stored token may be better
   * than ours (another process renewed, confirmed, or logged in) or gone (another process logged out).
   * The new token is written before the lock is let go, so the next holder reads it.
   *
   * @param heldToken - whether the key held a token when this client last saw it (before this read).
   */
  async #renewWithStore(
    key: LockedToken,
    heldToken: boolean,
    current: Token | null,
    generation: number,
  ): Promise<Token> {
    const stored = await key.read();
    if (stored === undefined && current !== null && heldToken) {
      // Deleted since this client saw it: a logout. Follow it; never write the token back.
      if (this.#current.generation() === generation) this.#current.set(null);
      throw new TokenRenewalError(
        "Cannot refresh: the token store no longer holds the client's token; it was logged out (maybe by " +
          "another process). Log in again.",
      );
    }
    // The stored copy of our own token carries the newest refresh token there is for it.
    const sameToken = stored !== undefined && stored.accessToken === current?.accessToken;
    const better = stored !== undefined && supersedes(stored, current);
    if (stored !== undefined && better && !isDue(stored, this.#config.refreshLeeway)) {
      if (this.#current.generation() === generation) this.#current.set(stored);
      return stored;
    }
    const token = await this.#renewFrom(sameToken || better ? (stored ?? null) : current, key.signal);
    key.signal.throwIfAborted();
    if (this.#current.generation() === generation) {
      this.#current.set(token);
      await this.#sync.tracked(key.write(token));
    }
    return token;
  }

  /** Renews `current`: the refresh token grant, or silent renewal in a browser. */
  async #renewFrom(current: Token | null, signal: AbortSignal | undefined): Promise<Token> {
    const refreshToken = current?.refreshToken;
    if (current !== null && refreshToken !== undefined) {
      return refreshTokenGrant(this.#config, current, refreshToken, signal);
    }
    if (canRenewSilently(this.#config)) {
      // Loaded on demand: an app that never renews silently does not carry the iframe flow.
      const { renewSilently } = await import("./silentRenewal");
      return renewSilently(this.#config, signal);
    }
    throw new TokenRenewalError(
      current === null
        ? "Cannot refresh: the client has no token. Log in first."
        : "Cannot refresh: the current token has no refresh token (ask for the `offline` scope).",
    );
  }
}
