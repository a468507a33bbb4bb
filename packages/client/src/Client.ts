import { DeviceAuth } from "./auth/DeviceAuth";
import { PushAuth } from "./auth/PushAuth";
import { TokenManager } from "./auth/TokenManager";
import { GraphQLClient } from "./graphql/GraphQLClient";
import { Subscriptions } from "./graphql/subscriptions";
import { AuthenticatedTransport } from "./http/AuthenticatedTransport";
import { Transport } from "./http/Transport";
import type { ClientOptions } from "./options/ClientOptions";
import { resolveClientOptions } from "./options/resolveClientOptions";
import { type ApiRequestOptions, sendApiRequest } from "./request/sendApiRequest";

/**
 * A client of the Kontist API: OAuth2 tokens (`auth.tokenManager`), device binding and device MFA
 * (`auth.device`), push-notification MFA (`auth.push`), GraphQL (`graphQL.rawQuery`, and subscriptions
 * over WebSocket with `graphQL.subscribe`) and REST calls (`request`). Requests go through `fetch` to
 * `baseUrl`; every API call carries the current token, renewed ahead of expiry and once after a 401;
 * every answer is checked against its schema from `@kontist-auth/protocol`, and every failure is a typed
 * error with a stable `code`. Idempotent calls (`GET` requests, GraphQL queries) are retried after a
 * network failure, a timeout, a 429 or a 5xx, as the `retry` option says; nothing else is. Without a
 * token (and even without a `clientId`, as `new Client({ baseUrl })`), `graphQL.rawQuery` sends public
 * queries unauthenticated, as Kontist's SDK does; every other API call needs a token. The defaults of its options are in `clientDefaults`.
 *
 * Works in Node (20.19+) and browsers alike; nothing in it needs a Node built-in.
 *
 * @throws {TypeError} when `clientId` is empty, `baseUrl` or `redirectUri` is not an absolute URL,
 *   `baseUrl` is `http:` for a host that is not loopback (without `allowInsecureHttp: true`),
 *   `timeout`, `refreshLeeway` or `silentRenewalTimeout` is out of range, `retry` or `subscriptionRetry`
 *   is neither `false` nor an object of valid fields (`limit` 0–10, or 0–100 for `subscriptionRetry`;
 *   delays non-negative), a `verifier` comes without
 *   `redirectUri` or `state` (unless `skipStateCheck`) or is malformed, `allowInsecureHttp` or
 *   `skipStateCheck` is not a boolean, `tokenStore` is not a `TokenStore`, `tokenStoreKey` is empty,
 *   `clientAuthentication` is neither `"body"` nor `"basic"` (or `"basic"` with a `clientId` containing
 *   `:`), `logoutUri` is not an absolute http(s) URL, or `webSocketImpl` is not a `WebSocket` constructor.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 *
 * const client = new Client({ clientId: "my-client", clientSecret: "…", scopes: ["users", "offline"] });
 * await client.auth.tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password: "…" });
 * const { viewer } = await client.graphQL.rawQuery("{ viewer { email } }");
 */
export class Client {
  /** Authentication: `tokenManager` (OAuth2 tokens), `device` (device MFA) and `push` (push MFA). */
  readonly auth: {
    readonly tokenManager: TokenManager;
    readonly device: DeviceAuth;
    readonly push: PushAuth;
  };
  /** The GraphQL API: `rawQuery(query, variables?)` and `subscribe(query, { variables?, next?, error?, complete?, signal? })`. */
  readonly graphQL: GraphQLClient;
  readonly #api: AuthenticatedTransport;

  constructor(options: ClientOptions) {
    const config = resolveClientOptions(options);
    const { baseUrl, webSocketImpl, subscriptionRetry, emit } = config;
    const transport = new Transport(config); // its baseUrl, fetch, timeout, retry and emit
    const tokenManager = new TokenManager({ ...config, transport });
    const api = new AuthenticatedTransport(transport, tokenManager);
    this.#api = api;
    this.auth = Object.freeze({
      tokenManager,
      device: new DeviceAuth({ api, tokenManager }),
      push: new PushAuth({ api, tokenManager }),
    });
    this.graphQL = new GraphQLClient(
      api,
      new Subscriptions({ baseUrl, tokenManager, webSocketImpl, retry: subscriptionRetry, emit }),
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
   * for (const { id } of pending) {
   *   await client.request({ method: "PATCH", path: paths.mfaChallenge(id), body: { status: "DENIED" } });
   * }
   */
  request<Output = unknown>(options: ApiRequestOptions<Output>): Promise<Output> {
    return sendApiRequest(this.#api, options);
  }
}
