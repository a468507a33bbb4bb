import { isLoopbackHostname } from "@kontist-auth/protocol";
import type { TokenStore } from "@kontist-auth/token-store";
import { type ApiRequestOptions, sendApiRequest } from "./api/sendApiRequest";
import { assertDelay } from "./async/assertDelay";
import { AuthenticatedTransport } from "./auth/AuthenticatedTransport";
import { type ClientAuthenticationMethod, clientAuthenticationMethods } from "./auth/clientAuthentication";
import { DeviceAuth } from "./auth/DeviceAuth";
import { PushAuth } from "./auth/PushAuth";
import { TokenManager } from "./auth/TokenManager";
import { GraphQLClient } from "./graphql/GraphQLClient";
import { isWebSocketConstructor, SubscriptionConnection } from "./graphql/SubscriptionConnection";
import { Transport } from "./http/Transport";
import { codeVerifierPattern } from "./oauth/createCodeChallenge";

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
   * ({@link defaultTokenStoreKey}). Use one key per client id and user: when one store holds the tokens
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
}

/** The Kontist API's base URL, the default of {@link ClientOptions.baseUrl}. */
export const defaultBaseUrl = "https://api.kontist.com";

/** The default request timeout in milliseconds, the default of {@link ClientOptions.timeout}. */
export const defaultTimeout = 10_000;

/** The default of {@link ClientOptions.refreshLeeway}, in milliseconds. */
export const defaultRefreshLeeway = 30_000;

/** The default of {@link ClientOptions.silentRenewalTimeout}, in milliseconds. */
export const defaultSilentRenewalTimeout = 10_000;

/**
 * The default of {@link ClientOptions.tokenStoreKey}: `kontist-auth:<clientId>`, or `kontist-auth` for a
 * client without a client id.
 *
 * @example
 * defaultTokenStoreKey("demo-client"); // "kontist-auth:demo-client"
 */
export function defaultTokenStoreKey(clientId?: string): string {
  return clientId === undefined ? "kontist-auth" : `kontist-auth:${clientId}`;
}

/**
 * A client of the Kontist API: OAuth2 tokens (`auth.tokenManager`), device binding and device MFA
 * (`auth.device`), push-notification MFA (`auth.push`), GraphQL (`graphQL.rawQuery`, and subscriptions
 * over WebSocket with `graphQL.subscribe`) and REST calls (`request`). Requests go through ky to `baseUrl`; every API call carries the current token, renewed
 * ahead of expiry and once after a 401; every answer is checked against its schema from
 * `@kontist-auth/protocol`, and every failure is a typed error with a stable `code`. Without a token
 * (and even without a `clientId`, as `new Client({ baseUrl })`), `graphQL.rawQuery` sends public queries
 * unauthenticated, as Kontist's SDK does; every other API call needs a token.
 *
 * Works in Node (20.19+) and browsers alike; nothing in it needs a Node built-in.
 *
 * @throws {TypeError} when `clientId` is empty, `baseUrl` or `redirectUri` is not an absolute URL,
 *   `baseUrl` is `http:` for a host that is not loopback (without `allowInsecureHttp: true`),
 *   `timeout`, `refreshLeeway` or `silentRenewalTimeout` is out of range, a `verifier` comes without
 *   `redirectUri` or `state` (unless `skipStateCheck`) or is malformed, `allowInsecureHttp` or
 *   `skipStateCheck` is not a boolean,
 *   `tokenStore` is not a `TokenStore`, `tokenStoreKey` is empty, `clientAuthentication` is neither
 *   `"body"` nor `"basic"` (or `"basic"` with a `clientId` containing `:`), `logoutUri` is not an
 *   absolute http(s) URL, or `webSocketImpl` is not a `WebSocket` constructor.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 *
 * const client = new Client({ clientId: "my-client", clientSecret: "…", scopes: ["users", "offline"] });
 * const token = await client.auth.tokenManager.fetchTokenFromCredentials({ username, password });
 * const { viewer } = await client.graphQL.rawQuery("{ viewer { email } }");
 */
export class Client {
  /** Authentication: `tokenManager` (OAuth2 tokens), `device` (device MFA) and `push` (push MFA). */
  readonly auth: {
    readonly tokenManager: TokenManager;
    readonly device: DeviceAuth;
    readonly push: PushAuth;
  };
  /** The GraphQL API: `rawQuery(query, variables?)` and `subscribe({ query, variables?, onNext, onError?, onComplete? })`. */
  readonly graphQL: GraphQLClient;
  readonly #api: AuthenticatedTransport;

  constructor(options: ClientOptions) {
    const {
      clientId,
      clientSecret,
      baseUrl = defaultBaseUrl,
      timeout = defaultTimeout,
      refreshLeeway = defaultRefreshLeeway,
      silentRenewalTimeout = defaultSilentRenewalTimeout,
      redirectUri,
      state,
      verifier,
      tokenStore,
      tokenStoreKey = defaultTokenStoreKey(clientId),
      clientAuthentication,
      logoutUri,
      webSocketImpl,
      allowInsecureHttp = false,
      skipStateCheck = false,
    } = options ?? {};
    if (clientId !== undefined && (typeof clientId !== "string" || clientId === "")) {
      throw new TypeError("Client: clientId must be a non-empty string (or left out).");
    }
    if (!isHttpUrl(baseUrl)) {
      throw new TypeError("Client: baseUrl must be an absolute http(s) URL.");
    }
    if (typeof allowInsecureHttp !== "boolean") {
      throw new TypeError("Client: allowInsecureHttp must be a boolean.");
    }
    const base = new URL(baseUrl);
    if (base.protocol === "http:" && !isLoopbackHostname(base.hostname) && !allowInsecureHttp) {
      throw new TypeError(
        "Client: an http: baseUrl for a host that is not loopback would send passwords, client secrets and " +
          "tokens in clear text; use https:, or pass allowInsecureHttp: true if you accept that.",
      );
    }
    assertDelay(timeout, "Client: timeout");
    assertDelay(refreshLeeway, "Client: refreshLeeway", true);
    assertDelay(silentRenewalTimeout, "Client: silentRenewalTimeout");
    if (redirectUri !== undefined && !isAbsoluteUrl(redirectUri)) {
      throw new TypeError("Client: redirectUri must be an absolute URL.");
    }
    if (state !== undefined && (typeof state !== "string" || state === "")) {
      throw new TypeError("Client: state must be a non-empty string.");
    }
    if (typeof skipStateCheck !== "boolean") {
      throw new TypeError("Client: skipStateCheck must be a boolean.");
    }
    if (verifier !== undefined) {
      if ((state === undefined && !skipStateCheck) || redirectUri === undefined) {
        throw new TypeError("Client: a PKCE client (one with a verifier) needs state and redirectUri too.");
      }
      if (typeof verifier !== "string" || !codeVerifierPattern.test(verifier)) {
        throw new TypeError(
          "Client: verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1); use createPkceVerifier().",
        );
      }
    }
    if (
      tokenStore !== undefined &&
      (typeof tokenStore?.get !== "function" ||
        typeof tokenStore.set !== "function" ||
        typeof tokenStore.delete !== "function")
    ) {
      throw new TypeError("Client: tokenStore must be a TokenStore (get, set and delete).");
    }
    if (typeof tokenStoreKey !== "string" || tokenStoreKey === "") {
      throw new TypeError("Client: tokenStoreKey must be a non-empty string.");
    }
    if (clientAuthentication !== undefined && !clientAuthenticationMethods.includes(clientAuthentication)) {
      throw new TypeError('Client: clientAuthentication must be "body" or "basic".');
    }
    if (clientAuthentication === "basic" && clientSecret !== undefined && clientId?.includes(":")) {
      // RFC 7617 §2: the user-id of Basic cannot contain a colon.
      throw new TypeError('Client: with clientAuthentication "basic" the clientId must not contain ":".');
    }
    if (logoutUri !== undefined && !isHttpUrl(logoutUri)) {
      throw new TypeError("Client: logoutUri must be an absolute http(s) URL.");
    }
    if (webSocketImpl !== undefined && !isWebSocketConstructor(webSocketImpl)) {
      throw new TypeError(
        'Client: webSocketImpl must be a WebSocket constructor, e.g. import WebSocket from "ws".',
      );
    }
    const transport = new Transport({ baseUrl, fetch: options.fetch, timeout });
    const tokenManager = new TokenManager({
      transport,
      baseUrl: baseUrl.replace(/\/+$/, ""),
      clientId,
      clientSecret,
      clientAuthentication,
      scopes: [...(options.scopes ?? [])],
      redirectUri,
      state,
      skipStateCheck,
      verifier,
      tokenStore,
      tokenStoreKey,
      timeout,
      refreshLeeway,
      silentRenewalTimeout,
      logoutUri,
    });
    const api = new AuthenticatedTransport(transport, tokenManager);
    this.#api = api;
    this.auth = Object.freeze({
      tokenManager,
      device: new DeviceAuth({ api, tokenManager }),
      push: new PushAuth({ api, tokenManager }),
    });
    this.graphQL = new GraphQLClient(
      api,
      new SubscriptionConnection({ baseUrl, tokenManager, webSocketImpl }),
    );
  }

  /**
   * Sends an authenticated request to a REST path of the API: `Authorization: Bearer` with the current
   * token, renewed before the request when it expires within `refreshLeeway` and once after a 401 (the
   * request is then retried once). A `body` is sent as JSON; the answer's JSON body is returned, checked
   * by `schema` when you give one (any Standard Schema, such as protocol's schemas or zod's).
   *
   * @returns the parsed body (the schema's output with a schema); `undefined` for an empty body without one.
   * @throws {TypeError} when `path` does not start with `/` or is an `/api/oauth` endpoint.
   * @throws {NoTokenError} when the client holds no token; nothing is sent.
   * @throws {UnauthorizedError} for a 401 that stays after the retry; {@link HttpError} for other errors
   *   (`serverMessage` from a `{ message, status }` body).
   * @throws {ResponseValidationError} when a 2xx body is not JSON or fails `schema` (names the field).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   * @throws the errors of `auth.tokenManager.refresh()` when a needed renewal fails.
   *
   * @example
   * import { mfaChallengesResponseSchema, paths } from "@kontist-auth/protocol";
   *
   * const pending = await client.request({ method: "GET", path: paths.mfaChallenges, schema: mfaChallengesResponseSchema });
   * await client.request({ method: "PATCH", path: paths.mfaChallenge(pending[0].id), body: { status: "DENIED" } });
   */
  request<Output = unknown>(options: ApiRequestOptions<Output>): Promise<Output> {
    return sendApiRequest(this.#api, options);
  }
}

function isHttpUrl(value: unknown): boolean {
  return typeof value === "string" && /^https?:\/\//i.test(value) && isAbsoluteUrl(value);
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
