// What the client tells operators as it works: the `onEvent` option's argument, and the messages of its
// `node:diagnostics_channel` channels. Events carry kinds, counts, durations, error codes and path
// templates only: never a token, code, password, query string or error message.

/**
 * A token renewal began: the refresh token grant, a silent renewal, or (with a `tokenStore`) a wait for
 * the store's lock that may end in adopting another process's token. Concurrent callers share one
 * renewal, and one event. Always followed by `renewal.succeeded` or `renewal.failed`.
 */
export interface RenewalStartedEvent {
  type: "renewal.started";
}

/**
 * A token renewal ended with a new current token: requested, or (with a `tokenStore`) a better one that
 * another process stored meanwhile, taken instead.
 */
export interface RenewalSucceededEvent {
  type: "renewal.succeeded";
  /** Milliseconds the renewal took, waiting for the store's lock included. */
  durationMs: number;
}

/** A token renewal failed; the client keeps the token it had (an expired one makes API calls fail). */
export interface RenewalFailedEvent {
  type: "renewal.failed";
  /** Milliseconds the renewal took. */
  durationMs: number;
  /**
   * The error's `code`: `OAUTH2_ERROR` (see `oauthError`), `HTTP_ERROR`, `NETWORK_ERROR`, `TIMEOUT`,
   * `TOKEN_RENEWAL_FAILED`, `TOKEN_STORE_LOCK_TIMEOUT`, …; `UNKNOWN` for an error without a code.
   */
  code: string;
  /** The HTTP status of the failed answer, when there was one. */
  status?: number | undefined;
  /**
   * For `OAUTH2_ERROR`: the RFC 6749 §5.2 error code, e.g. `invalid_grant` (the refresh token was
   * revoked or expired: the user must log in again); never the description.
   */
  oauthError?: string | undefined;
}

/** The `tokenStore` answered the client's request for its lock, taken before a renewal or a store write. */
export interface StoreLockWaitedEvent {
  type: "store.lockWaited";
  /** Milliseconds from asking for the lock until the store's answer: about 0 when nobody held it. */
  waitMs: number;
  /** `false` when the store gave no lock (`TOKEN_STORE_LOCK_TIMEOUT` after its wait, or a failure). */
  acquired: boolean;
}

/**
 * An API request was answered 401 (or GraphQL's `extensions.status` 401), and is sent again once, with
 * a token renewed for it or by another call meanwhile.
 */
export interface RequestUnauthorizedRetriedEvent {
  type: "request.unauthorizedRetried";
  /** The request's method, e.g. `GET`. */
  method: string;
  /** The request's path template (see {@link RequestRetriedEvent.path}). */
  path: string;
}

/**
 * An idempotent request (a `GET`, a GraphQL query) is sent again after a network failure, a timeout, a
 * 429 or a 5xx, as the `retry` option says; emitted when the wait before it is over.
 */
export interface RequestRetriedEvent {
  type: "request.retried";
  /** The request's method, e.g. `GET`. */
  method: string;
  /**
   * The request's path after the base URL, without a query string, each segment that is not only
   * `a`–`z` replaced by `{id}`: `/api/user/mfa/challenges/{id}`, `/api/graphql`.
   */
  path: string;
  /** Which retry this is: 1 for the request's second attempt. */
  attempt: number;
  /** Milliseconds waited before it: the answer's `Retry-After`, or the backoff. */
  delayMs: number;
  /** The status of the answer retried (429, 5xx); absent when there was none. */
  status?: number | undefined;
  /** Without an answer, the failure's code: `NETWORK_ERROR` or `TIMEOUT`. */
  code?: string | undefined;
}

/**
 * The shared WebSocket of `graphQL.subscribe` is opened again after it broke or the server refused its
 * token (as `subscriptionRetry` says); emitted when the wait (and the renewal after a 4403) is over.
 */
export interface SubscriptionReconnectedEvent {
  type: "subscription.reconnected";
  /** Reconnections tried in a row, this one included (1 after a connection that had been accepted). */
  attempt: number;
  /** Milliseconds waited before it (the backoff). */
  delayMs: number;
  /**
   * The close code of the connection lost: 1006 (dropped, or refused), 4403 (the token was refused, and
   * has been renewed), 1012 (the server restarts), …; absent when the connection failed without one.
   */
  closeCode?: number | undefined;
}

/**
 * What the client tells of its work through the `onEvent` option and, in Node, `node:diagnostics_channel`
 * (channel `kontist-auth:` + the type with `.` as `:`, e.g. `kontist-auth:renewal:failed`), told apart by
 * `type`. Events are plain frozen objects, delivered in order a moment after they happen (the code that
 * shapes them loads on demand, with the first event): never inside the client's own work.
 *
 * @example
 * const onEvent = (event: ClientEvent) => {
 *   if (event.type === "renewal.failed") console.warn(`renewal failed: ${event.code} ${event.oauthError ?? ""}`);
 * };
 */
export type ClientEvent =
  | RenewalStartedEvent
  | RenewalSucceededEvent
  | RenewalFailedEvent
  | StoreLockWaitedEvent
  | RequestUnauthorizedRetriedEvent
  | RequestRetriedEvent
  | SubscriptionReconnectedEvent;

/** A request as an event names it: its method and path (made a template when the event is shaped). */
export interface EventRequest {
  method: string;
  path: string;
}

/**
 * What the client's parts hand over, by kind: raw values (a promise, for what takes time), shaped into
 * {@link ClientEvent}s only where events are delivered (`eventDelivery`, loaded on demand), so that code
 * costs a browser bundle nothing up front.
 */
export interface EventValues {
  /** A renewal under way (`renewal.started`); it ends as its promise settles (`renewal.succeeded` / `failed`). */
  renewal: [renewal: Promise<unknown>];
  /** A wait for the token store's lock (`store.lockWaited`): it has the lock when the promise fulfils. */
  lock: [waiting: Promise<unknown>];
  /** A request sent again after a 401 (`request.unauthorizedRetried`). */
  unauthorized: [request: EventRequest];
  /** A request sent again (`request.retried`); `outcome`: the answer retried, or the failure. */
  retry: [
    request: EventRequest,
    attempt: number,
    delayMs: number,
    outcome: { response: { status: number } } | { error: unknown },
  ];
  /** The subscriptions' WebSocket reopened (`subscription.reconnected`). */
  reconnect: [attempt: number, delayMs: number, closeCode: number | undefined];
}

/** Hands an event's values to the client's event sink (see `eventSink`). */
export type EmitEvent = <Kind extends keyof EventValues>(kind: Kind, ...values: EventValues[Kind]) => void;
