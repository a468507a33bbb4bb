import type { ClientEvent, EmitEvent } from "./ClientEvent";

/**
 * The client's event sink, or `undefined` when nobody can listen (no `onEvent`, and no `process`, so no
 * Node `diagnostics_channel` either: a browser): then no event is even made. The code
 * that shapes and delivers events ({@link deliverEvent}) is loaded on demand, with the first event, so a
 * browser bundle carries nothing of it up front. Each event is delivered once that code is there, a
 * microtask or so after it happened (in the async context it happened in), in order, timed from when it
 * happened. Should that code fail to load, events are dropped.
 *
 * @param onEvent - the client's `onEvent` option.
 * @example
 * const emit = eventSink((event) => console.log(event.type));
 * emit?.("unauthorized", { method: "GET", path: "/api/user/mfa/challenges" });
 */
export function eventSink(onEvent: ((event: ClientEvent) => void) | undefined): EmitEvent | undefined {
  // Without `onEvent`, only where there is a `process` (Node, Bun, Deno) can there be diagnostics channels.
  if (onEvent || (globalThis as { process?: unknown }).process) {
    return ((...event: unknown[]) => {
      const at = performance.now();
      import("./deliverEvent").then(
        (events) => (events.deliverEvent as (...event: unknown[]) => void)(onEvent, at, ...event),
        () => {},
      );
    }) as EmitEvent;
  }
}
