import { codeVerifierPattern, isLoopbackHostname, paths } from "@kontist-auth/protocol";
import type { TokenStore } from "@kontist-auth/token-store";
import { assertDelay } from "../async/assertDelay";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { assertNonEmptyString } from "../deviceBinding/assertNonEmptyString";
import { defaultBindingConfirmationTimeout } from "../deviceBinding/defaultBindingConfirmationTimeout";
import type { EmitEvent } from "../events/ClientEvent";
import { eventSink } from "../events/eventSink";
import {
  defaultSubscriptionRetryOptions,
  resolveSubscriptionRetryOptions,
  type SubscriptionRetryOptions,
} from "../graphql/subscriptionRetryOptions";
import { isWebSocketConstructor } from "../graphql/subscriptions";
import { defaultRetryOptions, type RetryOptions, resolveRetryOptions } from "../http/retryOptions";
import {
  type ClientAuthenticationMethod,
  clientAuthenticationMethods,
} from "../tokenEndpoint/clientAuthentication";
import type { ClientOptions } from "./ClientOptions";

/**
 * The defaults of {@link ClientOptions} and of the client's calls, in milliseconds where a duration:
 * `baseUrl`, `timeout`, `refreshLeeway`, `silentRenewalTimeout`, `tokenStoreKey(clientId)` (the key
 * of a client's token in its `tokenStore`), `allowInsecureHttp`, `skipStateCheck`, `retry` (a frozen
 * `{ limit, baseDelay, maxDelay, maxRetryAfter }`) and `subscriptionRetry` (a frozen
 * `{ limit, baseDelay, maxDelay }`) for `new Client(options)`; `pollInterval` for
 * `auth.push.getConfirmedToken` and `auth.device.waitForBindingConfirmation`; `bindingConfirmationTimeout` for the latter (and `bind`).
 *
 * @example
 * import { Client, clientDefaults } from "@kontist-auth/client";
 *
 * const client = new Client({ clientId: "my-client", timeout: clientDefaults.timeout * 3 });
 * clientDefaults.tokenStoreKey("demo-client"); // "kontist-auth:demo-client"
 */
export const clientDefaults = Object.freeze({
  /** The Kontist API. */
  baseUrl: "https://api.kontist.com",
  /** How long a request, or one `tokenStore` call, may take. */
  timeout: 10_000,
  /** How long before its expiry a token is renewed (at most half its lifetime). */
  refreshLeeway: 30_000,
  /** How long a silent renewal, or the logout page, may take. */
  silentRenewalTimeout: 10_000,
  /** `kontist-auth:<clientId>`, or `kontist-auth` for a client without a client id. */
  tokenStoreKey: (clientId?: string): string =>
    clientId === undefined ? "kontist-auth" : `kontist-auth:${clientId}`,
  /** `http:` only for loopback hosts. */
  allowInsecureHttp: false,
  /** The authorization code flow needs `state`. */
  skipStateCheck: false,
  /**
   * Idempotent calls are retried twice, after a random backoff of up to 200 ms, then 400 ms (at most 5 s),
   * or after the answer's `Retry-After` when it asks for at most 60 s.
   */
  retry: defaultRetryOptions,
  /**
   * The shared WebSocket of subscriptions is reopened up to 10 times in a row after it broke, after a
   * random wait of up to 1 s, then 2 s, 4 s, … (at most 30 s).
   */
  subscriptionRetry: defaultSubscriptionRetryOptions,
  /** How often a push challenge or a device binding request is polled (Kontist's SDK polls every 3 s). */
  pollInterval: defaultPollInterval,
  /** How long to wait for the user to answer a device binding request (10 minutes). */
  bindingConfirmationTimeout: defaultBindingConfirmationTimeout,
});

/** {@link ClientOptions} checked, with their defaults filled in. */
export interface ResolvedClientOptions {
  /** The base URL without a trailing slash. */
  baseUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  clientAuthentication: ClientAuthenticationMethod | undefined;
  scopes: readonly string[];
  redirectUri: string | undefined;
  state: string | undefined;
  skipStateCheck: boolean;
  verifier: string | undefined;
  tokenStore: TokenStore | undefined;
  tokenStoreKey: string;
  fetch: typeof globalThis.fetch | undefined;
  timeout: number;
  refreshLeeway: number;
  silentRenewalTimeout: number;
  /** How idempotent requests are retried, or `false` for never. */
  retry: Readonly<RetryOptions> | false;
  /** The logout URL: the option, else `{baseUrl}/oauth/logout` (no `/api`, as Kontist's docs). */
  logoutUri: string;
  webSocketImpl: unknown;
  /** How the WebSocket of subscriptions is reopened after it broke, or `false` for never. */
  subscriptionRetry: Readonly<SubscriptionRetryOptions> | false;
  /**
   * Delivers the client's events to `onEvent` and to `node:diagnostics_channel`; `undefined` when there is
   * neither.
   */
  emit: EmitEvent | undefined;
}

/**
 * Checks `options` and fills in the defaults of {@link clientDefaults}: what `new Client(options)` does
 * first.
 *
 * @throws {TypeError} for an invalid option, as `new Client(options)` documents.
 * @example
 * const { baseUrl, timeout } = resolveClientOptions({ clientId: "demo-client" });
 */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const {
    clientId,
    clientSecret,
    baseUrl = clientDefaults.baseUrl,
    timeout = clientDefaults.timeout,
    refreshLeeway = clientDefaults.refreshLeeway,
    silentRenewalTimeout = clientDefaults.silentRenewalTimeout,
    redirectUri,
    state,
    verifier,
    tokenStore,
    tokenStoreKey = clientDefaults.tokenStoreKey(clientId),
    clientAuthentication,
    logoutUri,
    webSocketImpl,
    allowInsecureHttp = clientDefaults.allowInsecureHttp,
    skipStateCheck = clientDefaults.skipStateCheck,
    retry: retryOption,
    subscriptionRetry: subscriptionRetryOption,
    onEvent,
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
  const retry = resolveRetryOptions(retryOption);
  const subscriptionRetry = resolveSubscriptionRetryOptions(subscriptionRetryOption);
  if (redirectUri !== undefined && !isAbsoluteUrl(redirectUri)) {
    throw new TypeError("Client: redirectUri must be an absolute URL.");
  }
  if (state !== undefined) assertNonEmptyString(state, "Client: state");
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
  assertNonEmptyString(tokenStoreKey, "Client: tokenStoreKey");
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
  const trimmedBaseUrl = baseUrl.replace(/\/+$/, "");
  return {
    baseUrl: trimmedBaseUrl,
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
    fetch: options.fetch,
    timeout,
    refreshLeeway,
    silentRenewalTimeout,
    retry,
    logoutUri: logoutUri ?? `${trimmedBaseUrl}${paths.logout}`,
    webSocketImpl,
    subscriptionRetry,
    emit: eventSink(onEvent),
  };
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
