import {
  type AuthorizationCodeTokenRequest,
  formatScope,
  type PasswordTokenRequest,
  parseScope,
  paths,
  type RefreshTokenRequest,
} from "@kontist-auth/protocol";
import type { TokenStore } from "@kontist-auth/token-store";
import { NoTokenError } from "../errors/NoTokenError";
import { TokenRenewalError } from "../errors/TokenRenewalError";
import { processTokenResponse } from "../http/processTokenResponse";
import type { Transport } from "../http/Transport";
import { authorizeInIframe } from "../oauth/authorizeInIframe";
import { buildAuthorizationUrl } from "../oauth/buildAuthorizationUrl";
import { createCodeChallenge } from "../oauth/createCodeChallenge";
import { createPkceVerifier } from "../oauth/createPkceVerifier";
import { createState } from "../oauth/createState";
import { logoutInIframe } from "../oauth/logoutInIframe";
import { domWindow } from "../oauth/openHiddenIframe";
import { parseCallbackUri } from "../oauth/parseCallbackUri";
import { readAuthorizationResponse } from "../oauth/readAuthorizationResponse";
import { Token } from "../token/Token";
import { TokenPersistence } from "../token/TokenPersistence";
import { type ClientCredentials, clientAuthentication } from "./clientAuthentication";

/** Options of {@link TokenManager.fetchTokenFromCredentials}. */
export interface FetchTokenFromCredentialsOptions {
  /** The user's login, e.g. their email address. */
  username: string;
  /** The user's password. */
  password: string;
  /** The scopes to ask for; default: the client's `scopes`. Ask for `offline` to get a refresh token. */
  scopes?: readonly string[] | undefined;
}

/** Options of {@link TokenManager.getAuthUri}. */
export interface GetAuthUriOptions {
  /**
   * Send `skip_mfa=true`: the login page asks for the password only. Default `false` (not sent), and then,
   * as Kontist's default, the login itself includes MFA and the code yields a confirmed token. With
   * `skipMfa` the token is not confirmed: pass MFA later, by device (`auth.device.confirm`) or push
   * (`auth.push.getConfirmedToken`), before calling what needs a confirmed token.
   */
  skipMfa?: boolean | undefined;
  /**
   * More query parameters for the authorization request, e.g. `{ prompt: "login" }` or a `login_hint`.
   * They cannot replace what the client sets itself (`response_type`, `client_id`, `redirect_uri`,
   * `scope`, `state`, `code_challenge`, `code_challenge_method`, `prompt`, `response_mode`, `skip_mfa`).
   */
  query?: Readonly<Record<string, string>> | undefined;
}

/**
 * Called with the new current token whenever it changes (a login, a refresh, `setToken`, a confirmed
 * token from device or push MFA), and with `null` when it is cleared.
 */
export type TokenChangeListener = (token: Token | null) => void;

/** What a {@link TokenManager} needs from its client. */
export interface TokenManagerConfig extends Omit<ClientCredentials, "clientId"> {
  /** The OAuth2 client id; without one, the calls that need it (token requests, authorization URLs) throw. */
  clientId?: string | undefined;
  transport: Transport;
  /** The API's base URL without a trailing slash, for authorization URLs. */
  baseUrl: string;
  /** Default scopes of password grants and authorization requests. */
  scopes: readonly string[];
  /** The redirect URI of the authorization code flow. */
  redirectUri?: string | undefined;
  /** The `state` of the authorization code flow. */
  state?: string | undefined;
  /** The PKCE verifier; set for public clients, which never have a secret. */
  verifier?: string | undefined;
  /** Where to keep the token between runs, and the lock renewals take across processes. */
  tokenStore?: TokenStore | undefined;
  /** The key of the client's token in `tokenStore`. */
  tokenStoreKey: string;
  /** Milliseconds a token request may take (the store lock's TTL is derived from it). */
  timeout: number;
  /** Milliseconds before expiry from which `getValidToken` renews the token. */
  refreshLeeway: number;
  /** Milliseconds a silent renewal in a hidden iframe may take (and the logout iframe may load). */
  silentRenewalTimeout: number;
  /** The URL that ends the login session in a browser; default `{baseUrl}/oauth/logout`. */
  logoutUri?: string | undefined;
}

/** Where the redirect back is read from, for error messages. */
const callbackSource = "the authorization callback";

/**
 * Gets, renews and holds the client's OAuth2 token (`client.auth.tokenManager`). One token at a time:
 * every call that gets a token makes it the current one, {@link TokenManager.token}, which every
 * `/api/*` call of the client sends as `Authorization: Bearer`, renewed first when it is about to expire.
 *
 * Flows: the password grant ({@link TokenManager.fetchTokenFromCredentials}), the authorization code
 * grant with a client secret or PKCE ({@link TokenManager.getAuthUri}, {@link TokenManager.fetchToken}),
 * renewal ({@link TokenManager.refresh}: the refresh token grant, or a silent renewal in a hidden iframe
 * for browser PKCE clients), a token you already have ({@link TokenManager.setToken}), and logging out
 * ({@link TokenManager.logout}, which also ends Kontist's login session in a browser).
 *
 * With a `tokenStore` the token outlives the process: the stored token is loaded on first use (the
 * first API call, {@link TokenManager.getValidToken}, {@link TokenManager.refresh} or
 * {@link TokenManager.loadToken}), every new token is written to the store (a login, a renewal, a
 * confirmation, `setToken`) and `clearToken` / `logout` delete it. With a store that can lock (`fileStore`,
 * `redisStore`, `memoryStore`), a renewal takes the store's lock for the key, reads the store again, and
 * adopts a token another process renewed meanwhile instead of renewing it again: however many processes
 * share the store, one renewal happens. A failing store is a `TokenStoreError` (code `TOKEN_STORE_*`);
 * the client keeps the token it holds in memory.
 *
 * @example
 * const client = new Client({ clientId, clientSecret, scopes: ["users", "offline"] });
 * const stop = client.auth.tokenManager.onTokenChange((token) => save(token));
 * await client.auth.tokenManager.fetchTokenFromCredentials({ username, password });
 * const renewed = await client.auth.tokenManager.refresh();
 */
export class TokenManager {
  readonly #config: TokenManagerConfig;
  readonly #persistence: TokenPersistence | undefined;
  #token: Token | null = null;
  /** Counts token changes, so a load that finishes after one does not undo it. */
  #generation = 0;
  /** Whether the in-memory token is authoritative: loaded from the store, or set since. */
  #loaded: boolean;
  #loading: Promise<void> | undefined;
  /** Failures of writes nobody awaited (`setToken`, `clearToken`), for {@link TokenManager.flush}. */
  #unreportedStoreErrors: unknown[] = [];
  #refreshing: Promise<Token> | undefined;
  readonly #listeners = new Set<TokenChangeListener>();

  /** Made by {@link Client}; use `client.auth.tokenManager`. */
  constructor(config: TokenManagerConfig) {
    this.#config = config;
    this.#persistence =
      config.tokenStore === undefined
        ? undefined
        : new TokenPersistence(config.tokenStore, config.tokenStoreKey);
    this.#loaded = this.#persistence === undefined;
  }

  /**
   * The current token, or `null` before one was fetched, set or loaded, and after
   * {@link TokenManager.clearToken}. With a `tokenStore`, the stored token shows here once it was loaded:
   * use {@link TokenManager.loadToken} to read it before any other call.
   */
  get token(): Token | null {
    return this.#token;
  }

  /**
   * The current token, loaded from the `tokenStore` first if that has not happened yet (it happens once;
   * a token fetched or set before wins over the stored one). Without a store, the same as
   * {@link TokenManager.token}.
   *
   * @returns the current token, or `null` when there is none in memory or in the store.
   * @throws {TokenStoreError} when the store fails (the next call tries again).
   *
   * @example
   * const client = new Client({ clientId, clientSecret, tokenStore: fileStore(path) });
   * if ((await client.auth.tokenManager.loadToken()) === null) await logIn(client);
   */
  async loadToken(): Promise<Token | null> {
    await this.#ensureLoaded();
    return this.#token;
  }

  /**
   * Waits until every token change so far has been written to the `tokenStore` (`setToken` and
   * `clearToken` write in the background; the other calls wait for their write). Call it before a
   * process exits. Resolves at once without a store.
   *
   * @throws {TokenStoreError} for the first background write that failed since the last `flush()`
   *   (the client still holds its token in memory).
   *
   * @example
   * client.auth.tokenManager.setToken(accessToken, refreshToken);
   * await client.auth.tokenManager.flush();
   */
  async flush(): Promise<void> {
    await this.#persistence?.settled();
    const [first] = this.#unreportedStoreErrors.splice(0);
    if (first !== undefined) throw first;
  }

  /**
   * Whether {@link TokenManager.refresh} can renew the token without the user: the current token has a
   * refresh token, or this is a PKCE client (`verifier` and `redirectUri` set) running in a browser,
   * which renews silently in a hidden iframe.
   *
   * @example
   * if (!client.auth.tokenManager.canRenew) showLoginButton();
   */
  get canRenew(): boolean {
    return this.#token?.refreshToken !== undefined || this.#canRenewSilently();
  }

  /**
   * Calls `listener` with the new current token whenever it changes (a login, a refresh, `setToken`, a
   * confirmed token from device or push MFA) and with `null` when it is cleared: the place to persist
   * the token. Listeners run synchronously, in the order they were added; one that throws does not stop
   * the others or the client (its error goes to `reportError` where the platform has it, as browsers do).
   *
   * @returns a function that removes the listener.
   * @throws {TypeError} when `listener` is not a function.
   *
   * @example
   * const unsubscribe = client.auth.tokenManager.onTokenChange((token) => {
   *   if (token === null) localStorage.removeItem("token");
   *   else localStorage.setItem("token", JSON.stringify({ a: token.accessToken, r: token.refreshToken }));
   * });
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
   * The URL to send the user to for the authorization code flow (RFC 6749 §4.1.1):
   * `{baseUrl}/api/oauth/authorize?response_type=code&client_id&redirect_uri&scope&state`, and for a PKCE
   * client (one with a `verifier`) `code_challenge=BASE64URL(SHA256(verifier))&code_challenge_method=S256`
   * (RFC 7636 §4.2, §4.3), and `skip_mfa=true` with `skipMfa`. The user logs in there (by default with
   * MFA: Kontist's login page includes it unless `skip_mfa=true`) and comes back to `redirectUri` with a
   * code for {@link TokenManager.fetchToken}. Async because the challenge is hashed with WebCrypto.
   *
   * @throws {TypeError} when the client has no `redirectUri`, `skipMfa` is not a boolean, or `query`
   *   tries to set a parameter the client sets itself.
   *
   * @example
   * const client = new Client({ clientId: "demo-public", redirectUri, state: createState(), verifier: createPkceVerifier() });
   * location.assign(await client.auth.tokenManager.getAuthUri());
   * // or log in without MFA now, and confirm the token later by device or push:
   * location.assign(await client.auth.tokenManager.getAuthUri({ skipMfa: true }));
   */
  async getAuthUri(options: GetAuthUriOptions = {}): Promise<string> {
    const redirectUri = this.#redirectUri("getAuthUri");
    const { skipMfa } = options;
    if (skipMfa !== undefined && typeof skipMfa !== "boolean") {
      throw new TypeError("getAuthUri: skipMfa must be a boolean.");
    }
    const { verifier } = this.#config;
    return buildAuthorizationUrl({
      baseUrl: this.#config.baseUrl,
      clientId: this.#clientId("getAuthUri"),
      redirectUri,
      scopes: this.#config.scopes,
      state: this.#config.state,
      codeChallenge: verifier === undefined ? undefined : await createCodeChallenge(verifier),
      skipMfa,
      extra: options.query,
    });
  }

  /**
   * Finishes the authorization code flow: reads the redirect back (`redirectUri?code=…&state=…`,
   * RFC 6749 §4.1.2), checks its `state` against the client's (§10.12), then exchanges the code at
   * `POST /api/oauth/token` (`grant_type=authorization_code`, §4.1.3) with the `code_verifier` of a PKCE
   * client (RFC 7636 §4.5) or the client secret of a confidential one (see `clientAuthentication`). The
   * answer becomes the current token.
   *
   * @param callbackUri - the full URL the user came back to: `location.href` in a browser, or the
   *   absolute URL of the request your callback route received.
   * @returns the new token.
   * @throws {StateMismatchError} when the callback's `state` is not the client's (nothing is sent).
   * @throws {AuthorizationError} when the callback carries `error`: Kontist's JSON form
   *   (`error={"type":"AccessDeniedError"}` when the user denied access: `type` `AccessDeniedError`,
   *   `error` `access_denied`) or an RFC 6749 code, keeping `error_description`.
   * @throws {ResponseValidationError} when the callback has no code or repeats a parameter.
   * @throws {OAuth2Error} when the token endpoint refuses, e.g. `invalid_grant` for a used or expired code
   *   or a wrong verifier.
   * @throws {HttpError} / {@link UnauthorizedError} / {@link NetworkError} / {@link TimeoutError} as any
   *   token request.
   * @throws {TokenStoreError} when the new token could not be written to the `tokenStore` (the client
   *   holds it in memory all the same).
   * @throws {TypeError} when `callbackUri` is not an absolute URL or the client has no `redirectUri`.
   *
   * @example
   * // on the page or route of redirectUri
   * const token = await client.auth.tokenManager.fetchToken(location.href);
   */
  async fetchToken(callbackUri: string | URL): Promise<Token> {
    const redirectUri = this.#redirectUri("fetchToken");
    const code = readAuthorizationResponse(parseCallbackUri(callbackUri), this.#config.state, callbackSource);
    const token = await this.#exchangeCode(code, redirectUri, this.#config.verifier);
    await this.#install(token);
    return token;
  }

  /**
   * Logs in with the user's credentials: the resource owner password credentials grant
   * (RFC 6749 §4.3), form-encoded to `POST /api/oauth/token`. A client with a secret sends `client_id` and
   * `client_secret` in the body (or HTTP Basic, with `clientAuthentication: "basic"`), one without sends
   * `client_id`. The answer becomes the current token.
   *
   * @returns the new token; its `scopes` are the granted ones (the requested ones when the server does
   *   not say, RFC 6749 §5.1).
   * @throws {OAuth2Error} when the server refuses, e.g. `invalid_grant` for wrong credentials (400) or
   *   `invalid_client` for a wrong client secret (401).
   * @throws {HttpError} / {@link UnauthorizedError} for another error answer.
   * @throws {ResponseValidationError} when the answer is not a token response (names the field).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   * @throws {TokenStoreError} when the new token could not be written to the `tokenStore` (the client
   *   holds it in memory all the same).
   * @throws {TypeError} when `username` or `password` is empty.
   *
   * @example
   * const token = await client.auth.tokenManager.fetchTokenFromCredentials({
   *   username: "demo@example.com",
   *   password: "demo-password",
   *   scopes: ["users", "offline"],
   * });
   */
  async fetchTokenFromCredentials(options: FetchTokenFromCredentialsOptions): Promise<Token> {
    const { username, password } = options;
    if (typeof username !== "string" || username === "") {
      throw new TypeError("fetchTokenFromCredentials: username must be a non-empty string.");
    }
    if (typeof password !== "string" || password === "") {
      throw new TypeError("fetchTokenFromCredentials: password must be a non-empty string.");
    }
    const scopes = options.scopes ?? this.#config.scopes;
    const request: PasswordTokenRequest = { grant_type: "password", username, password };
    if (scopes.length > 0) request.scope = formatScope(scopes);
    const token = await this.#requestToken(request, [password], scopes, undefined);
    await this.#install(token);
    return token;
  }

  /**
   * Renews the current token. With a refresh token: the refresh token grant (RFC 6749 §6); when the
   * answer has no `refresh_token`, the one used is kept (Kontist's refresh tokens can be used many
   * times), and a confirmed refresh token yields a confirmed access token. Without one, a PKCE client in
   * a browser renews silently: `/api/oauth/authorize?…&prompt=none&response_mode=web_message` in a hidden
   * iframe (see `authorizeInIframe`) with a fresh verifier and state, then the code exchange. The answer
   * becomes the current token.
   *
   * At most one renewal runs at a time: concurrent calls (and the client's own renewals before and
   * after requests) share it and get the same outcome; once it settles, the next call renews again. A
   * failed renewal leaves the current token as it was: a network error or timeout (which aborts the
   * request) never discards the refresh token. Should the token be replaced (`setToken`, a device or push
   * confirmation) while a renewal runs, the renewal resolves with its token but does not overwrite the
   * newer one, so a confirmed refresh token stays the one renewals use.
   *
   * With a `tokenStore` that can lock, the renewal holds the store's lock for the client's key: it reads
   * the store again and, when another process has stored a token that is not the one this client holds
   * and does not need renewing, adopts that one instead of renewing (with the stored refresh token
   * otherwise, the newest one). So processes sharing a store renew once between them.
   *
   * @throws {TokenRenewalError} when there is nothing to renew with: no refresh token, and no silent
   *   renewal (not a PKCE client, or not in a browser).
   * @throws {OAuth2Error} when the server refuses, e.g. `invalid_grant` for an expired refresh token.
   * @throws {HttpError} / {@link UnauthorizedError} for another error answer.
   * @throws {ResponseValidationError} when the answer is not a token response (names the field).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time (also when a silent
   *   renewal gets no answer within `silentRenewalTimeout`).
   * @throws {AuthorizationError} when a silent renewal is answered with an error, e.g. `login_required`.
   * @throws {StateMismatchError} when a silent renewal's answer carries another state.
   * @throws {TokenStoreError} when the `tokenStore` fails: reading, locking (`TOKEN_STORE_LOCK_TIMEOUT`
   *   when another process holds the lock too long), or writing the new token (which the client then
   *   holds in memory all the same).
   *
   * @example
   * const token = await client.auth.tokenManager.refresh();
   * token.confirmed; // true when the refresh token came from a device confirmation
   */
  refresh(): Promise<Token> {
    if (this.#refreshing === undefined) {
      this.#refreshing = this.#renew().finally(() => {
        this.#refreshing = undefined;
      });
    }
    return this.#refreshing;
  }

  /**
   * The current token, renewed first when it expires within `refreshLeeway` (default 30 s) and can be
   * renewed ({@link TokenManager.canRenew}); what every API call of the client does before it is sent.
   * The renewal is the shared one of {@link TokenManager.refresh}. When it fails while the token is
   * still valid, the token is used anyway (the next call tries again); when the token has expired, the
   * renewal's error is thrown.
   *
   * @throws {NoTokenError} when the client holds no token (nor has its `tokenStore` one).
   * @throws {TokenStoreError} when the stored token could not be loaded.
   * @throws the errors of {@link TokenManager.refresh}, when a renewal was needed and failed.
   *
   * @example
   * const { accessToken } = await client.auth.tokenManager.getValidToken();
   */
  async getValidToken(): Promise<Token> {
    await this.#ensureLoaded();
    const token = this.#token;
    if (token === null) throw new NoTokenError("getValidToken()");
    if (!token.isExpired(this.#config.refreshLeeway / 1000) || !this.canRenew) return token;
    try {
      await this.refresh();
    } catch (error) {
      const current = this.#token;
      if (current !== null && !current.isExpired()) return current;
      throw error;
    }
    const current = this.#token;
    if (current === null) throw new NoTokenError("getValidToken()");
    return current;
  }

  /**
   * Makes a token the client already has the current one, e.g. one restored from storage or obtained
   * elsewhere. Replaces the current token, refresh token included. Expiry, scopes and `confirmed` come
   * from the JWT claims (unverified), when it is a JWT. With a `tokenStore`, the token is written to it in
   * the background: `await tokenManager.flush()` to wait for that (and learn of a failure).
   *
   * @param accessToken - the access token.
   * @param refreshToken - its refresh token, if any.
   * @param tokenType - default `Bearer`.
   * @returns the new current token.
   * @throws {TypeError} when `accessToken` is empty.
   *
   * @example
   * client.auth.tokenManager.setToken(saved.accessToken, saved.refreshToken);
   */
  setToken(accessToken: string, refreshToken?: string, tokenType?: string): Token {
    const token = new Token({ accessToken, refreshToken, tokenType });
    this.#inBackground(this.#install(token));
    return token;
  }

  /**
   * Forgets the current token (log out locally; nothing is sent): `token` becomes `null`, token change
   * listeners get `null`, and a renewal still running will not install its answer. With a `tokenStore`,
   * the client's key is deleted from it in the background (see {@link TokenManager.flush}). In a browser,
   * the login session at Kontist stays: use {@link TokenManager.logout} to end it too.
   *
   * @example
   * client.auth.tokenManager.clearToken();
   */
  clearToken(): void {
    if (this.#token !== null) {
      this.#inBackground(this.#install(null));
    } else if (!this.#loaded && this.#persistence !== undefined) {
      // Nothing in memory, but a stored token (not loaded yet) goes too, and must not be loaded later.
      this.#generation += 1;
      this.#loaded = true;
      this.#inBackground(this.#persistence.write(null));
    }
  }

  /**
   * Logs the user out: forgets the token at once, as {@link TokenManager.clearToken} does (`token`
   * becomes `null`, listeners get `null`, a running renewal will not install its answer), and waits until
   * the `tokenStore`'s copy is deleted. Meanwhile, in a browser (a DOM window), it ends Kontist's login
   * session, which otherwise lasts until the browser closes and would answer the next login or silent
   * renewal without asking: it loads the logout URL (`logoutUri`, default `{baseUrl}/oauth/logout`, the
   * path Kontist's docs give) in a hidden iframe, as the docs ask, and waits until that page has loaded,
   * or `silentRenewalTimeout` ms at most; the iframe is removed in every outcome. Nothing is sent in Node
   * (there is no login session there). Kontist documents no token revocation: an access token already
   * handed out stays valid until it expires.
   *
   * @throws {TokenStoreError} when the store could not delete its copy (the token is forgotten in memory
   *   all the same, and the login session ended). Never because of the logout page.
   *
   * @example
   * await client.auth.tokenManager.logout();
   * showLoginButton();
   */
  async logout(): Promise<void> {
    // The token goes at once (the stored copy too, even one not loaded yet), before anything waits.
    const forgotten = this.#install(null);
    const window = domWindow();
    const sessionEnded =
      window === undefined
        ? Promise.resolve()
        : logoutInIframe({
            url: this.#logoutUri(),
            timeout: this.#config.silentRenewalTimeout,
            window,
          }).catch((error: unknown) => globalThis.reportError?.(error));
    const [, deleted] = await Promise.allSettled([sessionEnded, forgotten]);
    if (deleted.status === "rejected") throw deleted.reason;
  }

  /** The logout URL: the `logoutUri` option, else `{baseUrl}/oauth/logout` (no `/api`, as Kontist's docs). */
  #logoutUri(): string {
    return this.#config.logoutUri ?? `${this.#config.baseUrl}${paths.logout}`;
  }

  /**
   * Makes `token` the current one, tells the listeners, and (unless it came from the store) writes it to
   * the store.
   *
   * @returns the write, settled once the store has it.
   */
  #install(token: Token | null, from: "store" | "client" = "client"): Promise<void> {
    this.#token = token;
    this.#generation += 1;
    this.#loaded = true;
    for (const listener of [...this.#listeners]) {
      try {
        listener(token);
      } catch (error) {
        globalThis.reportError?.(error);
      }
    }
    return from === "store" || this.#persistence === undefined
      ? Promise.resolve()
      : this.#persistence.write(token);
  }

  /** A write nobody waits for: its failure goes to {@link TokenManager.flush} (and `reportError`). */
  #inBackground(write: Promise<void>): void {
    write.catch((error: unknown) => {
      this.#unreportedStoreErrors.push(error);
      globalThis.reportError?.(error);
    });
  }

  /**
   * Loads the stored token once. A failed load, or an empty store, is tried again by the next call: a
   * process that starts before another one has logged in picks the token up as soon as it is stored.
   */
  #ensureLoaded(): Promise<void> {
    if (this.#loaded || this.#persistence === undefined) return Promise.resolve();
    const persistence = this.#persistence;
    this.#loading ??= (async () => {
      try {
        const generation = this.#generation;
        const stored = await persistence.read();
        // A token fetched, set or cleared meanwhile is newer than the stored one: it stays.
        if (this.#generation !== generation) return;
        if (stored !== undefined) await this.#install(stored, "store");
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }

  #renew(): Promise<Token> {
    // `current` is taken synchronously once loaded, so a token installed after refresh() was called wins.
    return this.#loaded ? this.#renewLoaded() : this.#ensureLoaded().then(() => this.#renewLoaded());
  }

  async #renewLoaded(): Promise<Token> {
    const persistence = this.#persistence;
    if (persistence?.canLock) return this.#renewUnderLock(persistence);
    const current = this.#token;
    const generation = this.#generation;
    const token = await this.#renewFrom(current);
    // A token installed meanwhile (setToken, a confirmation) is newer, and one cleared (clearToken, logout)
    // stays cleared, even when there was none before: keep what is there.
    if (this.#generation === generation) await this.#install(token);
    return token;
  }

  /**
   * A renewal under the store's lock: the stored token may be newer than ours (another process renewed,
   * or logged in); adopt it when it needs no renewal, else renew from it. The new token is written before
   * the lock is released, so the next holder reads it.
   */
  async #renewUnderLock(persistence: TokenPersistence): Promise<Token> {
    const current = this.#token;
    const generation = this.#generation;
    const renewalMs =
      this.#config.timeout + (this.#canRenewSilently() ? this.#config.silentRenewalTimeout : 0);
    // A dead holder blocks the others for at most the TTL: twice what a renewal may take.
    const ttlMs = 2 * renewalMs;
    const lock = await persistence.lock({ ttlMs, timeoutMs: ttlMs + renewalMs });
    try {
      const stored = await persistence.read();
      if (
        stored !== undefined &&
        stored.accessToken !== current?.accessToken &&
        !stored.isExpired(this.#config.refreshLeeway / 1000)
      ) {
        if (this.#generation === generation) await this.#install(stored, "store");
        return stored;
      }
      const token = await this.#renewFrom(stored ?? current);
      if (this.#generation === generation) await this.#install(token);
      return token;
    } finally {
      // Should the release fail, the lock lapses after its TTL; the renewal itself is done.
      await lock.release().catch((error: unknown) => globalThis.reportError?.(error));
    }
  }

  /** Renews `current`: the refresh token grant, or silent renewal in a browser. */
  async #renewFrom(current: Token | null): Promise<Token> {
    const refreshToken = current?.refreshToken;
    if (current !== null && refreshToken !== undefined) {
      const request: RefreshTokenRequest = { grant_type: "refresh_token", refresh_token: refreshToken };
      return this.#requestToken(request, [refreshToken, current.accessToken], current.scopes, refreshToken);
    }
    if (this.#canRenewSilently()) return this.#renewSilently();
    throw new TokenRenewalError(
      current === null
        ? "Cannot refresh: the client has no token. Log in first."
        : "Cannot refresh: the current token has no refresh token (ask for the `offline` scope).",
    );
  }

  /** A PKCE client in a browser renews through the authorization endpoint, in a hidden iframe. */
  #canRenewSilently(): boolean {
    return (
      this.#config.verifier !== undefined &&
      this.#config.redirectUri !== undefined &&
      globalThis.window?.document !== undefined
    );
  }

  /** Silent renewal: a fresh verifier and state for each attempt, so no answer can be replayed. */
  async #renewSilently(): Promise<Token> {
    const redirectUri = this.#redirectUri("refresh");
    const verifier = createPkceVerifier();
    const state = createState();
    const url = buildAuthorizationUrl({
      baseUrl: this.#config.baseUrl,
      clientId: this.#clientId("refresh"),
      redirectUri,
      scopes: this.#config.scopes,
      state,
      codeChallenge: await createCodeChallenge(verifier),
      prompt: "none",
      responseMode: "web_message",
    });
    const code = await authorizeInIframe({ url, state, timeout: this.#config.silentRenewalTimeout });
    return this.#exchangeCode(code, redirectUri, verifier);
  }

  /** The authorization code grant (RFC 6749 §4.1.3), with the PKCE verifier when there is one. */
  #exchangeCode(code: string, redirectUri: string, verifier: string | undefined): Promise<Token> {
    const request: AuthorizationCodeTokenRequest = {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
    };
    if (verifier !== undefined) request.code_verifier = verifier;
    return this.#requestToken(request, [code, verifier], this.#config.scopes, undefined);
  }

  /** The client id, checked when a call needs it: a client for public GraphQL queries may have none. */
  #clientId(what: string): string {
    const { clientId } = this.#config;
    if (clientId === undefined) {
      throw new TypeError(`${what} needs the client's clientId option: new Client({ clientId, … }).`);
    }
    return clientId;
  }

  #redirectUri(method: string): string {
    const { redirectUri } = this.#config;
    if (redirectUri === undefined) {
      throw new TypeError(`${method}: the authorization code flow needs the client's redirectUri option.`);
    }
    return redirectUri;
  }

  /** Sends a token request and makes a {@link Token} of the answer. */
  async #requestToken(
    request: PasswordTokenRequest | RefreshTokenRequest | AuthorizationCodeTokenRequest,
    secrets: readonly (string | undefined)[],
    requestedScopes: readonly string[],
    previousRefreshToken: string | undefined,
  ): Promise<Token> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(request)) if (value !== undefined) form.set(name, value);
    const clientId = this.#clientId(`The ${request.grant_type} grant`);
    const headers = clientAuthentication(form, { ...this.#config, clientId });
    const basicCredentials = headers.authorization?.replace(/^Basic /, "");
    const response = await this.#config.transport.send({
      method: "POST",
      path: paths.token,
      headers,
      form,
      secrets: [...secrets, this.#config.clientSecret, headers.authorization, basicCredentials],
    });
    const body = processTokenResponse(response);
    return new Token({
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? previousRefreshToken,
      tokenType: body.token_type,
      expiresAt: body.expires_in === undefined ? undefined : new Date(Date.now() + body.expires_in * 1000),
      // RFC 6749 §5.1: no `scope` in the answer means the requested scopes were granted.
      scopes:
        body.scope !== undefined
          ? parseScope(body.scope)
          : requestedScopes.length > 0
            ? requestedScopes
            : undefined,
    });
  }
}
