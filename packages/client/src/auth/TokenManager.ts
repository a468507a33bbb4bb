import { assertNonEmptyString } from "../deviceBinding/assertNonEmptyString";
import { domWindow } from "../oauth/domWindow";
import type { CurrentToken } from "../renewal/CurrentToken";
import { TokenRenewal } from "../renewal/TokenRenewal";
import { TokenStoreSync } from "../renewal/TokenStoreSync";
import { Token } from "../token/Token";
import { passwordGrant } from "../tokenEndpoint/passwordGrant";
import type { GetAuthUriOptions } from "./authorizationCodeFlow";
import type {
  FetchTokenFromCredentialsOptions,
  TokenChangeListener,
  TokenManagerConfig,
} from "./TokenManagerConfig";

/**
 * Gets, renews and holds the client's OAuth2 token (`client.auth.tokenManager`): the password grant,
 * the authorization code grant (`getAuthUri`, `fetchToken`), renewal (`refresh`), a token you have
 * (`setToken`) and `logout`. Every call that gets a token makes it the current one, which every `/api/*`
 * call sends as `Authorization: Bearer`, renewed first when it is about to expire. With a `tokenStore`
 * it outlives the process: loaded on first use, every new token written, `clearToken` / `logout`
 * deleting it, each under the store's lock in the order asked for; processes sharing the store renew
 * once between them. A failing store is a `TokenStoreError`, or a `TimeoutError` past `timeout`; the
 * client keeps the token it holds in memory.
 *
 * @example
 * const client = new Client({ clientId: "my-client", clientSecret: "…", scopes: ["users", "offline"] });
 * await client.auth.tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password: "…" });
 */
export class TokenManager {
  readonly #config: TokenManagerConfig;
  #token: Token | null = null;
  /** Counts token changes, so a load or renewal that finishes after one does not undo it. */
  #generation = 0;
  readonly #listeners = new Set<TokenChangeListener>();
  readonly #sync: TokenStoreSync;
  readonly #renewal: TokenRenewal;

  /** Made by {@link Client}; use `client.auth.tokenManager`. */
  constructor(config: TokenManagerConfig) {
    this.#config = config;
    const current: CurrentToken = {
      token: () => this.#token,
      generation: () => this.#generation,
      set: (token) => this.#setCurrent(token),
    };
    this.#sync = new TokenStoreSync(config, current);
    this.#renewal = new TokenRenewal(config, current, this.#sync);
  }

  /**
   * The current token, or `null` before one was fetched, set or loaded, and after `clearToken()`. A stored
   * token shows here once it was loaded: {@link TokenManager.loadToken} reads it before any other call.
   */
  get token(): Token | null {
    return this.#token;
  }

  /**
   * The current token, loaded from the `tokenStore` first if that has not happened yet (once; a token
   * fetched or set before wins over the stored one).
   * @returns the current token, or `null` when there is none in memory or in the store.
   * @throws {TokenStoreError} when the store fails (the next call tries again).
   * @example
   * if ((await client.auth.tokenManager.loadToken()) === null) console.log("Log in first.");
   */
  async loadToken(): Promise<Token | null> {
    await this.#sync.load();
    return this.#token;
  }

  /**
   * Waits until every token change so far has been written to the `tokenStore` (`setToken` and
   * `clearToken` write in the background). Call it before a process exits. At once without a store.
   * @throws {TokenStoreError} / {@link TimeoutError} when the latest write was a background one and
   *   failed; reported once, and not when a later write has made it good.
   * @example
   * client.auth.tokenManager.setToken("access-token", "refresh-token");
   * await client.auth.tokenManager.flush();
   */
  flush(): Promise<void> {
    return this.#sync.flush();
  }

  /**
   * Whether {@link TokenManager.refresh} can renew the token without the user: the token has a refresh
   * token, or this is a PKCE client (`verifier`, `redirectUri`) in a browser, which renews silently.
   * @example
   * if (!client.auth.tokenManager.canRenew) console.log("Log in again when the token expires.");
   */
  get canRenew(): boolean {
    return this.#renewal.canRenew;
  }

  /**
   * Calls `listener` with the new current token whenever it changes (a login, a refresh, `setToken`, a
   * confirmation; with a `tokenStore` that can watch, such as `webStorageStore` in a browser, also a
   * renewal or login adopted from another tab) and with `null` when it is cleared (here, or by a logout
   * in another tab): the place to persist the token. Listeners run
   * synchronously, in the order added; one that throws does not stop the others (its error goes to
   * `reportError` where the platform has it).
   * @returns a function that removes the listener.
   * @throws {TypeError} when `listener` is not a function.
   * @example
   * const unsubscribe = client.auth.tokenManager.onTokenChange((token) => console.log(token?.scopes));
   */
  onTokenChange(listener: TokenChangeListener): () => void {
    if (typeof listener !== "function") throw new TypeError("onTokenChange: listener must be a function.");
    // A wrapper per subscription, so adding the same function twice gives two independent subscriptions.
    const subscription: TokenChangeListener = (token) => listener(token);
    this.#listeners.add(subscription);
    return () => {
      this.#listeners.delete(subscription);
    };
  }

  /**
   * The URL to send the user to for the authorization code flow (RFC 6749 §4.1.1), with
   * `code_challenge` (S256, RFC 7636 §4.2) for a PKCE client and `skip_mfa=true` with `skipMfa`. The user
   * logs in there (with MFA, by default) and comes back to `redirectUri` for {@link TokenManager.fetchToken}.
   * @throws {TypeError} when the client has no `redirectUri`, or no `state` (and not `skipStateCheck`:
   *   RFC 6749 §10.12), `skipMfa` is not a boolean, or `query` sets a parameter the client sets itself.
   * @example
   * location.assign(await client.auth.tokenManager.getAuthUri()); // or getAuthUri({ skipMfa: true })
   */
  async getAuthUri(options: GetAuthUriOptions = {}): Promise<string> {
    return (await authorizationCodeFlow()).authorizationUri(this.#config, options);
  }

  /**
   * Finishes the authorization code flow: reads the redirect back (RFC 6749 §4.1.2), checks its `state`
   * (§10.12), then exchanges the code (§4.1.3) with the `code_verifier` of a PKCE client (RFC 7636 §4.5)
   * and the secret of a confidential one. The answer becomes the current token.
   * @param callbackUri - the full URL the user came back to (`location.href`, or your route's request URL).
   * @throws {StateMismatchError} when its `state` is not the client's; {@link AuthorizationError} when it
   *   carries `error`; {@link ResponseValidationError} when it has no code. Nothing is sent then.
   * @throws {OAuth2Error} when the token endpoint refuses, e.g. `invalid_grant` for a used code or a wrong
   *   verifier; {@link HttpError} / {@link NetworkError} / {@link TimeoutError} as any request.
   * @throws {TokenStoreError} when the `tokenStore` could not keep the token (the client holds it).
   * @throws {TypeError} when `callbackUri` is not an absolute URL, or `redirectUri` or `state` is missing.
   * @example
   * const token = await client.auth.tokenManager.fetchToken(location.href);
   */
  fetchToken(callbackUri: string | URL): Promise<Token> {
    const redeemed = authorizationCodeFlow().then((flow) =>
      flow.redeemAuthorizationCallback(this.#config, callbackUri),
    );
    return this.#installed(redeemed);
  }

  /**
   * Logs in with the user's credentials: the password grant (RFC 6749 §4.3), with the client's
   * authentication (`clientAuthentication`). The answer becomes the current token.
   * @throws {OAuth2Error} when the server refuses, e.g. `invalid_grant` for wrong credentials or
   *   `invalid_client` for a wrong secret; {@link HttpError} / {@link ResponseValidationError} /
   *   {@link NetworkError} / {@link TimeoutError} as any request.
   * @throws {TokenStoreError} when the `tokenStore` could not keep the token (the client holds it).
   * @throws {TypeError} when `username` or `password` is empty.
   * @example
   * await client.auth.tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password: "…" });
   */
  async fetchTokenFromCredentials(options: FetchTokenFromCredentialsOptions): Promise<Token> {
    const { username, password } = options;
    assertNonEmptyString(username, "fetchTokenFromCredentials: username");
    assertNonEmptyString(password, "fetchTokenFromCredentials: password");
    const scopes = options.scopes ?? this.#config.scopes;
    return this.#installed(passwordGrant(this.#config, { username, password, scopes }));
  }

  /**
   * Renews the current token: the refresh token grant (RFC 6749 §6; an answer without `refresh_token`
   * keeps the one used), or, for a PKCE client in a browser without one, silently in a hidden iframe
   * (`prompt=none`). One renewal at a time: concurrent calls share it. A failed renewal keeps the token;
   * a token replaced meanwhile (`setToken`, a confirmation, a logout) stays. With a `tokenStore`, under
   * its lock: a better token of the same user stored by another process (confirmed, else newer) is
   * adopted instead, and an emptied key (a logout elsewhere) makes the client forget its token too; the
   * deadline is twice `timeout` (plus `silentRenewalTimeout`) once the lock is held.
   * @throws {TokenRenewalError} when there is nothing to renew with, or the store no longer holds the token.
   * @throws {OAuth2Error} (e.g. `invalid_grant`) and the other errors of a token request or a silent renewal.
   * @throws {TokenStoreError} when the store fails to read, lock (`TOKEN_STORE_LOCK_TIMEOUT`) or write.
   * @example
   * const token = await client.auth.tokenManager.refresh();
   */
  refresh(): Promise<Token> {
    return this.#renewal.refresh();
  }

  /**
   * The current token, renewed first when it is due (`refreshLeeway` before expiry, or half its lifetime
   * when shorter) and can be: what every API call does first. A failed renewal of a still valid token
   * returns that token (the next call tries again); of an expired one, throws.
   * @throws {NoTokenError} when the client holds no token (nor has its `tokenStore` one).
   * @throws {TokenStoreError} / {@link TimeoutError} when the stored token could not be loaded.
   * @throws the errors of {@link TokenManager.refresh}, when a renewal was needed and failed.
   * @example
   * const { accessToken } = await client.auth.tokenManager.getValidToken();
   */
  getValidToken(): Promise<Token> {
    return this.#renewal.validToken();
  }

  /**
   * Makes a token the client already has the current one (refresh token included). Expiry, scopes and
   * `confirmed` come from the JWT claims (unverified). With a `tokenStore` it is written in the
   * background: `flush()` waits for that, {@link TokenManager.storeToken} waits for this write alone.
   * @param tokenType - default `Bearer`.
   * @throws {TypeError} when `accessToken` is empty.
   * @example
   * client.auth.tokenManager.setToken("access-token", "refresh-token"); // e.g. from your own storage
   */
  setToken(accessToken: string, refreshToken?: string, tokenType?: string): Token {
    const token = new Token({ accessToken, refreshToken, tokenType });
    this.#sync.inBackground(this.#install(token));
    return token;
  }

  /**
   * Makes a token the current one, as {@link TokenManager.setToken} does, and waits until the
   * `tokenStore` holds it (only this write can make it fail): what a device or push confirmation does.
   * @throws {TypeError} when `accessToken` is empty.
   * @throws {TokenStoreError} / {@link TimeoutError} when the store could not keep it (it is current all the same).
   * @example
   * await client.auth.tokenManager.storeToken("access-token", "refresh-token"); // in the store now
   */
  async storeToken(accessToken: string, refreshToken?: string, tokenType?: string): Promise<Token> {
    return this.#installed(Promise.resolve(new Token({ accessToken, refreshToken, tokenType })));
  }

  /**
   * Forgets the current token locally (nothing is sent): `token` becomes `null`, listeners get `null`, a
   * running renewal will not install its answer, and the `tokenStore`'s copy is deleted in the background
   * (see `flush()`). A browser's login session at Kontist stays: {@link TokenManager.logout} ends it too.
   * @example
   * client.auth.tokenManager.clearToken();
   */
  clearToken(): void {
    if (this.#token !== null) {
      this.#sync.inBackground(this.#install(null));
    } else if (!this.#sync.loaded) {
      // Nothing in memory, but a stored token (not loaded yet) goes too, and must not be loaded later.
      this.#generation += 1;
      this.#sync.markLoaded();
      this.#sync.inBackground(this.#sync.write(null));
    }
  }

  /**
   * Logs the user out: forgets the token at once, as `clearToken()` does, and waits until the
   * `tokenStore`'s copy is deleted (other processes forget theirs at their next renewal; other tabs at
   * once, with a store that can watch such as `webStorageStore`). In a browser it
   * also ends Kontist's login session: it loads `logoutUri` (default `{baseUrl}/oauth/logout`) in a hidden
   * iframe and waits until it has loaded, `silentRenewalTimeout` at most. Kontist documents no token
   * revocation: an access token handed out stays valid until it expires.
   * @throws {TokenStoreError} / {@link TimeoutError} when the store could not delete its copy (the token
   *   is forgotten all the same). Never because of the logout page.
   * @example
   * await client.auth.tokenManager.logout();
   */
  async logout(): Promise<void> {
    // The token goes at once (the stored copy too, even one not loaded yet), before anything waits.
    const forgotten = this.#install(null);
    const window = domWindow();
    const { logoutUri: url, silentRenewalTimeout: timeout } = this.#config;
    const sessionEnded =
      window === undefined
        ? Promise.resolve()
        : import("../oauth/logoutInIframe")
            .then(({ logoutInIframe }) => logoutInIframe({ url, timeout, window }))
            .catch((error: unknown) => globalThis.reportError?.(error));
    const [, deleted] = await Promise.allSettled([sessionEnded, forgotten]);
    if (deleted.status === "rejected") throw deleted.reason;
  }

  /** Makes `token` the current one and tells the listeners; nothing is written. */
  #setCurrent(token: Token | null): void {
    this.#token = token;
    this.#generation += 1;
    this.#sync.markLoaded();
    for (const listener of [...this.#listeners]) {
      try {
        listener(token);
      } catch (error) {
        globalThis.reportError?.(error);
      }
    }
  }

  /** Makes `token` the current one, tells the listeners, and writes it to the store. */
  #install(token: Token | null): Promise<void> {
    this.#setCurrent(token);
    return this.#sync.write(token);
  }

  /** Installs the token `fetching` resolves with, and waits for its write. */
  async #installed(fetching: Promise<Token>): Promise<Token> {
    const token = await fetching;
    await this.#install(token);
    return token;
  }
}

/**
 * The authorization code flow's module, loaded on demand: an app that logs in with a password does not
 * carry it.
 */
function authorizationCodeFlow(): Promise<typeof import("./authorizationCodeFlow")> {
  return import("./authorizationCodeFlow");
}
