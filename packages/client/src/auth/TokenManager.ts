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
import { supersedes } from "../token/supersedes";
import { Token } from "../token/Token";
import { type LockedToken, TokenPersistence, type UpdateLockOptions } from "../token/TokenPersistence";
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
  /** Whether the code flow may run without `state` (the named opt-out); default `false`. */
  skipStateCheck?: boolean | undefined;
  /** The PKCE verifier; set for public clients, which never have a secret. */
  verifier?: string | undefined;
  /** Where to keep the token between runs, and the lock renewals take across processes. */
  tokenStore?: TokenStore | undefined;
  /** The key of the client's token in `tokenStore`. */
  tokenStoreKey: string;
  /**
   * Milliseconds a token request, or one token store call, may take (the store lock's TTL and a
   * renewal's deadline are derived from it).
   */
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
 * confirmation, `setToken`) and `clearToken` / `logout` delete it. Every write, and every renewal, takes
 * the store's lock for the key where the store has one (`fileStore`, `redisStore`, `memoryStore`), one
 * after the other in the order they were asked for. A renewal reads the store again under the lock and
 * adopts a better token another process stored meanwhile (the same user's, newer or confirmed) instead of
 * renewing again: however many processes share the store, one renewal happens; a key found deleted means
 * a logout elsewhere, which the renewal does not undo. A failing store is a `TokenStoreError` (code
 * `TOKEN_STORE_*`), one that does not answer within `timeout` a `TimeoutError`; the client keeps the
 * token it holds in memory.
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
  /** Counts store writes, so only the latest one's outcome is what {@link TokenManager.flush} reports. */
  #writeSerial = 0;
  /** The failure of the latest write when nobody awaited it (`setToken`, `clearToken`), for `flush()`. */
  #unreportedWriteFailure: { error: unknown } | undefined;
  #refreshing: Promise<Token> | undefined;
  readonly #listeners = new Set<TokenChangeListener>();

  /** Made by {@link Client}; use `client.auth.tokenManager`. */
  constructor(config: TokenManagerConfig) {
    this.#config = config;
    this.#persistence =
      config.tokenStore === undefined
        ? undefined
        : new TokenPersistence(config.tokenStore, config.tokenStoreKey, { ioTimeout: config.timeout });
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
   * `clearToken` write in the background; the other calls wait for their write), and tells whether the
   * store now holds the current token. Call it before a process exits. Resolves at once without a store.
   *
   * @throws {TokenStoreError} (or {@link TimeoutError} for a store that did not answer) when the latest
   *   write was a background one and failed; it is reported once. An older failure that a later write
   *   has made good is not reported (the store holds the current token).
   *
   * @example
   * client.auth.tokenManager.setToken(accessToken, refreshToken);
   * await client.auth.tokenManager.flush();
   */
  async flush(): Promise<void> {
    await this.#persistence?.settled();
    const failure = this.#unreportedWriteFailure;
    this.#unreportedWriteFailure = undefined;
    if (failure !== undefined) throw failure.error;
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
   * @throws {TypeError} when the client has no `redirectUri`, or no `state` (and not `skipStateCheck`:
   *   RFC 6749 §10.12, a callback without one could be an attacker's), `skipMfa` is not a boolean, or
   *   `query` tries to set a parameter the client sets itself.
   *
   * @example
   * const client = new Client({ clientId: "demo-public", redirectUri, state: createState(), verifier: createPkceVerifier() });
   * location.assign(await client.auth.tokenManager.getAuthUri());
   * // or log in without MFA now, and confirm the token later by device or push:
   * location.assign(await client.auth.tokenManager.getAuthUri({ skipMfa: true }));
   */
  async getAuthUri(options: GetAuthUriOptions = {}): Promise<string> {
    const redirectUri = this.#redirectUri("getAuthUri");
    const state = this.#state("getAuthUri");
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
      state,
      codeChallenge: verifier === undefined ? undefined : await createCodeChallenge(verifier),
      skipMfa,
      extra: options.query,
    });
  }

  /**
   * Finishes the authorization code flow: reads the redirect back (`redirectUri?code=…&state=…`,
   * RFC 6749 §4.1.2), checks its `state` against the client's (§10.12), then exchanges the code at
   * `POST /api/oauth/token` (`grant_type=authorization_code`, §4.1.3) with the `code_verifier` of a PKCE
   * client (RFC 7636 §4.5) and the client secret of a confidential one (see `clientAuthentication`), both
   * when the client has both. The answer becomes the current token.
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
   * @throws {TypeError} when `callbackUri` is not an absolute URL, or the client has no `redirectUri`, or
   *   no `state` (and not `skipStateCheck`); nothing is sent.
   *
   * @example
   * // on the page or route of redirectUri
   * const token = await client.auth.tokenManager.fetchToken(location.href);
   */
  async fetchToken(callbackUri: string | URL): Promise<Token> {
    const redirectUri = this.#redirectUri("fetchToken");
    const state = this.#state("fetchToken");
    const code = readAuthorizationResponse(parseCallbackUri(callbackUri), state, callbackSource);
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
   * With a `tokenStore`, the renewal holds the store's lock for the client's key (where the store has
   * one) and reads the store again first:
   * - a token of the same user (`sub`) that is better than the one this client holds — confirmed where
   *   this one is not, else expiring later — is adopted instead of renewing (or renewed from, with its
   *   refresh token, when it is due itself); an unconfirmed token never replaces a confirmed one, and
   *   another user's token is never adopted;
   * - an empty key, where this client had seen its token stored, means a logout (maybe in another
   *   process): the client forgets its token too and the renewal fails, writing nothing back.
   * So processes sharing a store renew once between them, and neither a confirmation nor a logout in one
   * of them is undone by another's renewal. The whole renewal has a deadline: twice `timeout` (plus
   * `silentRenewalTimeout` for a silent renewal) once the lock is held, and the lock's wait before that.
   *
   * @throws {TokenRenewalError} when there is nothing to renew with: no refresh token, and no silent
   *   renewal (not a PKCE client, or not in a browser); or when the token store no longer holds the
   *   client's token (a logout elsewhere; the client's token is then gone too).
   * @throws {OAuth2Error} when the server refuses, e.g. `invalid_grant` for an expired refresh token.
   * @throws {HttpError} / {@link UnauthorizedError} for another error answer.
   * @throws {ResponseValidationError} when the answer is not a token response (names the field).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time (also when a silent
   *   renewal gets no answer within `silentRenewalTimeout`, a token store call does not answer within
   *   `timeout`, or the renewal outlives its deadline).
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
   * The current token, renewed first when it is due and can be renewed ({@link TokenManager.canRenew});
   * what every API call of the client does before it is sent. A token is due `refreshLeeway` (default
   * 30 s) before it expires, or half its lifetime before when that is shorter (a token living 20 s is
   * renewed after 10 s, not on every call). The renewal is the shared one of
   * {@link TokenManager.refresh}. When it fails while the token is still valid, the token is used anyway
   * (the next call tries again); when the token has expired, the renewal's error is thrown.
   *
   * @throws {NoTokenError} when the client holds no token (nor has its `tokenStore` one).
   * @throws {TokenStoreError} when the stored token could not be loaded ({@link TimeoutError} when the
   *   store did not answer within `timeout`).
   * @throws the errors of {@link TokenManager.refresh}, when a renewal was needed and failed.
   *
   * @example
   * const { accessToken } = await client.auth.tokenManager.getValidToken();
   */
  async getValidToken(): Promise<Token> {
    await this.#ensureLoaded();
    const token = this.#token;
    if (token === null) throw new NoTokenError("getValidToken()");
    if (!this.#isDue(token) || !this.canRenew) return token;
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
   * the background (under the store's lock): `await tokenManager.flush()` to wait for that (and learn of
   * a failure), or use {@link TokenManager.storeToken} to wait for this token's write alone.
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
   * Makes a token the current one, as {@link TokenManager.setToken} does, and waits until the
   * `tokenStore` holds it: what a device or push confirmation does with its confirmed token. Only this
   * token's write can make it fail, not an earlier background write's (that one is for `flush()`).
   * Resolves at once without a store.
   *
   * @returns the new current token (current even when the write failed).
   * @throws {TypeError} when `accessToken` is empty.
   * @throws {TokenStoreError} when the store could not keep this token ({@link TimeoutError} when it did
   *   not answer within `timeout`); the client holds it in memory all the same.
   *
   * @example
   * await client.auth.tokenManager.storeToken(accessToken, refreshToken); // in the store now
   */
  async storeToken(accessToken: string, refreshToken?: string, tokenType?: string): Promise<Token> {
    const token = new Token({ accessToken, refreshToken, tokenType });
    await this.#install(token);
    return token;
  }

  /**
   * Forgets the current token (log out locally; nothing is sent): `token` becomes `null`, token change
   * listeners get `null`, and a renewal still running will not install its answer. With a `tokenStore`,
   * the client's key is deleted from it in the background (see {@link TokenManager.flush}), under the
   * store's lock: another process's renewal then finds the key empty and does not write its token back.
   * In a browser, the login session at Kontist stays: use {@link TokenManager.logout} to end it too.
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
      this.#inBackground(this.#write(null));
    }
  }

  /**
   * Logs the user out: forgets the token at once, as {@link TokenManager.clearToken} does (`token`
   * becomes `null`, listeners get `null`, a running renewal will not install its answer), and waits until
   * the `tokenStore`'s copy is deleted (under the store's lock, after a renewal holding it: other
   * processes sharing the store then find the key empty, forget their token at their next renewal, and
   * never write it back). Meanwhile, in a browser (a DOM window), it ends Kontist's login session, which
   * otherwise lasts until the browser closes and would answer the next login or silent renewal without
   * asking: it loads the logout URL (`logoutUri`, default `{baseUrl}/oauth/logout`, the path Kontist's
   * docs give) in a hidden iframe, as the docs ask, and waits until that page has loaded, or
   * `silentRenewalTimeout` ms at most; the iframe is removed in every outcome. Nothing is sent in Node
   * (there is no login session there). Kontist documents no token revocation: an access token already
   * handed out stays valid until it expires.
   *
   * @throws {TokenStoreError} when the store could not delete its copy (the token is forgotten in memory
   *   all the same, and the login session ended); {@link TimeoutError} when it did not answer in time.
   *   Never because of the logout page.
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

  /** Makes `token` the current one and tells the listeners; nothing is written. */
  #setCurrent(token: Token | null): void {
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
  }

  /**
   * Makes `token` the current one, tells the listeners, and (unless it came from the store) writes it to
   * the store.
   *
   * @returns the write, settled once the store has it.
   */
  #install(token: Token | null, from: "store" | "client" = "client"): Promise<void> {
    this.#setCurrent(token);
    return from === "store" || this.#persistence === undefined ? Promise.resolve() : this.#write(token);
  }

  /** Queues a write of `token` (a delete for `null`) under the store's lock. */
  #write(token: Token | null): Promise<void> {
    const persistence = this.#persistence;
    if (persistence === undefined) return Promise.resolve();
    return this.#tracked(persistence.write(token, this.#lockOptions()));
  }

  /**
   * Notes the outcome of a store write for {@link TokenManager.flush}: only the latest write counts, since
   * writes land in order and the latest decides what the store holds.
   */
  #tracked(write: Promise<void>): Promise<void> {
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

  /** A write nobody waits for: its failure goes to {@link TokenManager.flush} (and `reportError`). */
  #inBackground(write: Promise<void>): void {
    const serial = this.#writeSerial;
    write.catch((error: unknown) => {
      if (serial === this.#writeSerial) this.#unreportedWriteFailure = { error };
      globalThis.reportError?.(error);
    });
  }

  /**
   * The lock every write and renewal takes. Its TTL covers all the work done under it (finding 18): the
   * store read, the token request (or silent renewal), and the store write, each bounded by `timeout`, so
   * a holder that is merely slow never loses its lock mid-renewal; a dead holder blocks the others that
   * long at most. Waited for that long plus one renewal.
   */
  #lockOptions(): UpdateLockOptions {
    const renewalMs =
      this.#config.timeout + (this.#canRenewSilently() ? this.#config.silentRenewalTimeout : 0);
    const storeIoMs = 2 * this.#config.timeout;
    const ttlMs = renewalMs + storeIoMs;
    return { ttlMs, timeoutMs: ttlMs + renewalMs };
  }

  /**
   * Whether `token` is due for renewal: it expires within `refreshLeeway`, or within half its lifetime
   * when that is shorter (so a short-lived token is not renewed before every call).
   */
  #isDue(token: Token): boolean {
    const { expiresAt, issuedAt } = token;
    let leeway = this.#config.refreshLeeway;
    if (expiresAt !== undefined && issuedAt !== undefined) {
      const lifetime = expiresAt.getTime() - issuedAt.getTime();
      if (lifetime > 0) leeway = Math.min(leeway, lifetime / 2);
    }
    return token.isExpired(leeway / 1000);
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
    const current = this.#token;
    const generation = this.#generation;
    const persistence = this.#persistence;
    if (persistence !== undefined) {
      return persistence.update("the token renewal", this.#lockOptions(), (key) =>
        this.#renewWithStore(key, persistence.heldToken, current, generation),
      );
    }
    const token = await this.#renewFrom(current, undefined);
    // A token installed meanwhile (setToken, a confirmation) is newer, and one cleared (clearToken, logout)
    // stays cleared, even when there was none before: keep what is there.
    if (this.#generation === generation) this.#setCurrent(token);
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
      if (this.#generation === generation) this.#setCurrent(null);
      throw new TokenRenewalError(
        "Cannot refresh: the token store no longer holds the client's token; it was logged out (maybe by " +
          "another process). Log in again.",
      );
    }
    // The stored copy of our own token carries the newest refresh token there is for it.
    const sameToken = stored !== undefined && stored.accessToken === current?.accessToken;
    const better = stored !== undefined && supersedes(stored, current);
    if (stored !== undefined && better && !this.#isDue(stored)) {
      if (this.#generation === generation) this.#setCurrent(stored);
      return stored;
    }
    const token = await this.#renewFrom(sameToken || better ? (stored ?? null) : current, key.signal);
    key.signal.throwIfAborted();
    if (this.#generation === generation) {
      this.#setCurrent(token);
      await this.#tracked(key.write(token));
    }
    return token;
  }

  /** Renews `current`: the refresh token grant, or silent renewal in a browser. */
  async #renewFrom(current: Token | null, signal: AbortSignal | undefined): Promise<Token> {
    const refreshToken = current?.refreshToken;
    if (current !== null && refreshToken !== undefined) {
      const request: RefreshTokenRequest = { grant_type: "refresh_token", refresh_token: refreshToken };
      return this.#requestToken(
        request,
        [refreshToken, current.accessToken],
        current.scopes,
        refreshToken,
        signal,
      );
    }
    if (this.#canRenewSilently()) return this.#renewSilently(signal);
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
  async #renewSilently(signal: AbortSignal | undefined): Promise<Token> {
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
    return this.#exchangeCode(code, redirectUri, verifier, signal);
  }

  /** The authorization code grant (RFC 6749 §4.1.3), with the PKCE verifier when there is one. */
  #exchangeCode(
    code: string,
    redirectUri: string,
    verifier: string | undefined,
    signal?: AbortSignal,
  ): Promise<Token> {
    const request: AuthorizationCodeTokenRequest = {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
    };
    if (verifier !== undefined) request.code_verifier = verifier;
    return this.#requestToken(request, [code, verifier], this.#config.scopes, undefined, signal);
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

  /**
   * The `state` of the code flow (RFC 6749 §10.12): the client's, or none with `skipStateCheck`. Without
   * one, anyone could send the user to the redirect URI with their own code and log them into their
   * account (login CSRF).
   */
  #state(method: string): string | undefined {
    const { state, skipStateCheck } = this.#config;
    if (state === undefined && skipStateCheck !== true) {
      throw new TypeError(
        `${method}: the authorization code flow needs the client's state option (createState()), which ` +
          "ties the callback to this login; pass skipStateCheck: true only if you bind it another way.",
      );
    }
    return state;
  }

  /** Sends a token request and makes a {@link Token} of the answer. */
  async #requestToken(
    request: PasswordTokenRequest | RefreshTokenRequest | AuthorizationCodeTokenRequest,
    secrets: readonly (string | undefined)[],
    requestedScopes: readonly string[],
    previousRefreshToken: string | undefined,
    signal?: AbortSignal,
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
      signal,
    });
    const body = processTokenResponse(response);
    const issuedAt = new Date();
    return new Token({
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? previousRefreshToken,
      tokenType: body.token_type,
      // processTokenResponse has checked expires_in (1 s to 10 years), so this is a valid date.
      expiresAt:
        body.expires_in === undefined ? undefined : new Date(issuedAt.getTime() + body.expires_in * 1000),
      issuedAt,
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
