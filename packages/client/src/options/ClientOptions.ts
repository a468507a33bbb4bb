import type { TokenStore } from "@kontist-auth/token-store";
import type { ClientEvent } from "../events/ClientEvent";
import type { SubscriptionRetryOptions } from "../graphql/subscriptionRetryOptions";
import type { RetryOptions } from "../http/retryOptions";
import type { ClientAuthenticationMethod } from "../tokenEndpoint/clientAuthentication";

/**
 * Options of {@link Client}. The names follow Kontist's own JS SDK.
 *
 * @example
 * const options: ClientOptions = { clientId: "demo-client", clientSecret: "demo-secret", scopes: ["users"] };
 */
export interface ClientOptions {
  /**
   * The API's base URL; default `https://api.kontist.com`. Point it at `@kontist-auth/sandbox` to develop.
   * `http:` only for a loopback host (`localhost`, `127.0.0.1`, `[::1]`), unless `allowInsecureHttp`.
   */
  baseUrl?: string | undefined;
  /**
   * `true` allows an `http:` `baseUrl` for a host that is not loopback, e.g. a sandbox on another machine
   * of a test network. Risky: passwords, client secrets, codes and tokens then cross the network in
   * clear text, readable and changeable by anyone on the path. Default `false`: such a `baseUrl` is a
   * `TypeError`.
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * The OAuth2 client id. Needed to get or renew tokens; leave it out only for a client that sends public
   * GraphQL queries, or uses a token it is given (`setToken`): the calls that need it then throw a `TypeError`.
   */
  clientId?: string | undefined;
  /**
   * The OAuth2 client secret of a confidential client; leave it out for a public (PKCE) client. With a
   * secret the client authenticates on the token endpoint as `clientAuthentication` says, without one by
   * `client_id` alone. Never ship a secret to a browser. With a `verifier` too, the code flow uses PKCE
   * as well as the secret (RFC 9700 §2.1.1 recommends PKCE for confidential clients).
   */
  clientSecret?: string | undefined;
  /**
   * How a client with a `clientSecret` authenticates on `POST /api/oauth/token` (RFC 6749 §2.3.1):
   * `"body"` (default) sends `client_id` and `client_secret` in the form body, as Kontist's docs do;
   * `"basic"` sends HTTP Basic over the raw UTF-8 `client_id:client_secret`, as Kontist's SDK does (the
   * id must not contain `:`). Ignored without a secret.
   */
  clientAuthentication?: ClientAuthenticationMethod | undefined;
  /** Default scopes to ask for, e.g. `["users", "offline"]` (`offline` for a refresh token). */
  scopes?: readonly string[] | undefined;
  /** The redirect URI of the authorization code flow (RFC 6749 §3.1.2), an absolute URL. */
  redirectUri?: string | undefined;
  /**
   * The `state` of the authorization code flow (RFC 6749 §10.12): sent by `getAuthUri`, required back
   * by `fetchToken`. Make it with `createState()` and keep it across the redirect. The code flow needs
   * it: without it `getAuthUri` and `fetchToken` throw a `TypeError` (unless `skipStateCheck`), since a
   * callback planted by an attacker (their own code) would log the user into the attacker's account.
   */
  state?: string | undefined;
  /**
   * `true` lets a client without `state` use the authorization code flow: `getAuthUri` sends no `state`
   * and `fetchToken` accepts a callback without one. Risky: nothing then ties the callback to the
   * browser that started the login (login CSRF, RFC 6749 §10.12); use it only when your app checks an
   * equivalent binding itself. Ignored when `state` is given (it is always checked). Default `false`.
   */
  skipStateCheck?: boolean | undefined;
  /**
   * The PKCE code verifier (RFC 7636 §4.1): 43 to 128 characters, e.g. from `createPkceVerifier()`. A
   * public client needs it; a confidential client (with `clientSecret`) may add it too, and then sends
   * both. Needs `redirectUri`, and `state` (unless `skipStateCheck`). In a browser it also enables
   * silent renewal in a hidden iframe.
   */
  verifier?: string | undefined;
  /**
   * Where to keep the token between runs, and how processes sharing it renew it once: a `TokenStore` from
   * `@kontist-auth/token-store` (`memoryStore()`, `fileStore(path)` from `/file`, `webStorageStore(storage)`)
   * or `@kontist-auth/token-store-redis` (`redisStore(redis)`), or your own. The stored token is loaded on
   * first use, every new token is written to it, and `clearToken()` deletes it. Default: none (the token
   * lives in memory only).
   */
  tokenStore?: TokenStore | undefined;
  /**
   * The key of this client's token in `tokenStore`; default `kontist-auth:<clientId>`
   * (`clientDefaults.tokenStoreKey(clientId)`). Use one key per client id and user: when one store holds the tokens
   * of several users, pass your user's id, e.g. `` `kontist-auth:${clientId}:${user.id}` ``.
   */
  tokenStoreKey?: string | undefined;
  /** A fetch implementation to send requests with (a proxy agent, a test double); default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
  /**
   * Milliseconds a request may take, answer and body included, before it is aborted; also how long one
   * `tokenStore` call may take before the client stops waiting for it (a `TimeoutError`). Default 10 000.
   */
  timeout?: number | undefined;
  /**
   * Milliseconds before its expiry from which the access token is renewed before an API call (when it
   * can be); default 30 000. For a token whose lifetime is known (from `expires_in`, or the JWT's `iat`
   * and `exp`) it is at most half that lifetime, so a short-lived token is not renewed before every call.
   */
  refreshLeeway?: number | undefined;
  /**
   * How idempotent calls are retried: `GET` requests (`request` with `GET`, `auth.push.list` and the polls
   * of `auth.push.getConfirmedToken`) and GraphQL documents of queries only (`graphQL.rawQuery`, the polls
   * of `auth.device.waitForBindingConfirmation`). They are sent again after a network failure, a timeout
   * (each attempt has its own `timeout`), an HTTP 429 or 5xx, up to `limit` times, waiting first for the
   * answer's `Retry-After` (seconds or an HTTP-date) when it has one, else a random backoff of up to
   * `baseDelay · 2^(retry − 1)`, at most `maxDelay`. An answer whose `Retry-After` exceeds `maxRetryAfter`
   * is thrown at once, and so is the last attempt's error (`HttpError`, `NetworkError`, `TimeoutError`).
   * A call's `signal` ends a wait at once. Token grants, `POST`/`PATCH`/`DELETE` requests, device and
   * challenge verification and GraphQL mutations are never retried. Give some fields to change them;
   * `false` sends every request once. Default `clientDefaults.retry`
   * (`{ limit: 2, baseDelay: 200, maxDelay: 5000, maxRetryAfter: 60000 }`).
   */
  retry?: Partial<RetryOptions> | false | undefined;
  /**
   * Milliseconds a silent renewal in a hidden iframe may take before it fails, and the logout page may
   * take to load; default 10 000.
   */
  silentRenewalTimeout?: number | undefined;
  /**
   * The absolute http(s) URL that ends Kontist's login session in a browser, loaded by
   * `auth.tokenManager.logout()` in a hidden iframe; default `{baseUrl}/oauth/logout` (the path Kontist's
   * docs give, without `/api`).
   */
  logoutUri?: string | undefined;
  /**
   * The `WebSocket` constructor `graphQL.subscribe` connects with, for runtimes without a global one:
   * Node 20 has none without `--experimental-websocket`, so pass the `ws` package's
   * (`import WebSocket from "ws"`, then `webSocketImpl: WebSocket`). Default: the global `WebSocket`
   * (browsers, Deno, Bun, Node 22+). graphql-ws's option of the same name.
   */
  webSocketImpl?: unknown;
  /**
   * How `graphQL.subscribe`'s shared WebSocket is reopened after it broke (an abnormal close, an error,
   * a refused reconnection): up to `limit` reconnections in a row, each after a random wait of up to
   * `baseDelay · 2^(attempt − 1)`, at most `maxDelay`; after the last one fails, the subscriptions end
   * with a `NetworkError`. A token the server refuses (close code 4403) is renewed once and the
   * connection reopened after such a wait too, also with `false`. Give some fields to change them;
   * `false` never reconnects after a failure. Default `clientDefaults.subscriptionRetry`
   * (`{ limit: 10, baseDelay: 1000, maxDelay: 30000 }`).
   */
  subscriptionRetry?: Partial<SubscriptionRetryOptions> | false | undefined;
  /**
   * Called with each {@link ClientEvent}, in order, a moment after it happened: a renewal started,
   * succeeded or failed (with its duration and error code), a wait for the `tokenStore`'s lock, a request
   * retried after a 401 or a failure, the subscriptions' WebSocket reopened. Events hold no token, code,
   * password, query string or message. What it throws (or its promise rejects with) never reaches the
   * client: it goes to `reportError` where the platform has one. In Node the same events are also
   * published on `node:diagnostics_channel` (`kontist-auth:renewal:failed`, …), with or without this option.
   */
  onEvent?: ((event: ClientEvent) => void) | undefined;
}
