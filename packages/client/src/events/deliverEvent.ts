import type { ClientEvent, EventValues } from "./ClientEvent";
import { failureFields } from "./failureFields";
import { pathTemplate } from "./pathTemplate";

// Loaded on demand by the client's event sink (`eventSink`): a browser bundle carries none of this up front.

/** The part of `node:diagnostics_channel` the client publishes with. */
interface DiagnosticsChannels {
  channel(name: string): { readonly hasSubscribers: boolean; publish(message: unknown): void };
}

/** Node's `diagnostics_channel`, found at run time (never imported), where `process.getBuiltinModule` has it. */
const channels = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:diagnostics_channel") as DiagnosticsChannels | undefined;

/** What publishes an event, and when (`performance.now()`) what it tells of happened. */
interface Emitted {
  publish: (event: ClientEvent) => void;
  at: number;
}

/** What each kind the client emits becomes. */
const kinds: {
  [Kind in keyof EventValues]: (emitted: Emitted, ...values: EventValues[Kind]) => void;
} = {
  renewal: ({ publish, at }, renewal) => {
    publish({ type: "renewal.started" });
    timed(at, renewal, (durationMs, error) =>
      publish(
        error === undefined
          ? { type: "renewal.succeeded", durationMs }
          : { type: "renewal.failed", durationMs, ...failureFields(error) },
      ),
    );
  },
  lock: ({ publish, at }, waiting) =>
    timed(at, waiting, (waitMs, error) =>
      publish({ type: "store.lockWaited", waitMs, acquired: error === undefined }),
    ),
  unauthorized: ({ publish }, { method, path }) =>
    publish({ type: "request.unauthorizedRetried", method, path: pathTemplate(path) }),
  retry: ({ publish }, { method, path }, attempt, delayMs, outcome) =>
    publish({
      type: "request.retried",
      method,
      path: pathTemplate(path),
      attempt,
      delayMs,
      ...("response" in outcome
        ? { status: outcome.response.status }
        : { code: failureFields(outcome.error).code }),
    }),
  reconnect: ({ publish }, attempt, delayMs, closeCode) =>
    publish({ type: "subscription.reconnected", attempt, delayMs, closeCode }),
};

/**
 * Delivers what a client emitted: shapes it into {@link ClientEvent}s (a renewal and a wait for the lock
 * are timed from `at` until their promise settles), frozen, and hands each to `onEvent`, then, in Node,
 * to the subscribers of the `node:diagnostics_channel` channel `kontist-auth:<type with . as :>` (as undici
 * publishes `undici:request:create`). A listener never breaks the client: what `onEvent` throws (or its
 * promise rejects with) goes to `reportError` where the platform has one (browsers, Deno, Bun, workers; in
 * Node it is dropped). A diagnostics subscriber that throws is reported by Node as an uncaught exception.
 *
 * @param onEvent - the client's `onEvent` option.
 * @param at - when it was emitted (`performance.now()`).
 * @example
 * deliverEvent((event) => console.log(event.type), performance.now(), "reconnect", 1, 420, 1006); // logs "subscription.reconnected"
 */
export function deliverEvent<Kind extends keyof EventValues>(
  onEvent: ((event: ClientEvent) => void) | undefined,
  at: number,
  kind: Kind,
  ...values: EventValues[Kind]
): void {
  const publish = (event: ClientEvent) => {
    Object.freeze(event);
    try {
      const returned: unknown = onEvent?.(event);
      if (returned instanceof Promise) returned.catch(report);
    } catch (error) {
      report(error);
    }
    const channel = channels?.channel(`kontist-auth:${event.type.replace(".", ":")}`);
    if (channel?.hasSubscribers) channel.publish(event);
  };
  (kinds[kind] as (emitted: Emitted, ...values: unknown[]) => void)({ publish, at }, ...values);
}

/** Hands a listener's failure to `reportError`, where the platform has one. */
function report(error: unknown): void {
  globalThis.reportError?.(error);
}

/** Times what a promise stands for: from `started` until it settles; `error` is what it rejected with. */
function timed(
  started: number,
  promise: Promise<unknown>,
  settled: (durationMs: number, error?: unknown) => void,
): void {
  promise.then(
    () => settled(performance.now() - started),
    (error: unknown) => settled(performance.now() - started, error ?? null),
  );
}
