import type { ClientEvent } from "@kontist-auth/client";
import { type Attributes, type Meter, type Span, SpanStatusCode, type Tracer } from "@opentelemetry/api";

/** Where {@link instrumentKontistClient} records: any OpenTelemetry tracer and meter. */
export interface KontistTelemetry {
  /** Makes the renewal spans, e.g. `trace.getTracer("kontist-auth")`. */
  tracer: Tracer;
  /** Makes the counters and histograms, e.g. `metrics.getMeter("kontist-auth")`. */
  meter: Meter;
}

/** The span of each token renewal. */
export const renewalSpanName = "kontist_auth.renewal";

/** The metrics {@link instrumentKontistClient} records, by name (durations in seconds, as OpenTelemetry's conventions ask). */
export const kontistMetrics = {
  /** Histogram of renewal durations; `kontist_auth.renewal.outcome`: `succeeded` or `failed` (with `error.type`). */
  renewalDuration: "kontist_auth.renewal.duration",
  /** Histogram of waits for the token store's lock; `kontist_auth.lock.acquired`: `true` or `false`. */
  lockWait: "kontist_auth.store.lock_wait.duration",
  /** Counter of requests sent again after a 401, by `http.request.method` and `url.template`. */
  unauthorizedRetries: "kontist_auth.request.unauthorized_retries",
  /** Counter of idempotent requests sent again, by method, template and `http.response.status_code` or `error.type`. */
  retries: "kontist_auth.request.retries",
  /** Counter of WebSocket reconnections of subscriptions, by `kontist_auth.websocket.close_code`. */
  reconnections: "kontist_auth.subscription.reconnections",
} as const;

/**
 * The `onEvent` handler that records a Kontist client's events with OpenTelemetry: a span per token
 * renewal, made when it ends and timed by the event's `durationMs` (status `ERROR` with the error's code
 * when it failed; a span event for each wait for the store's lock during it), a histogram of renewal
 * durations by outcome, one of lock waits, and counters of 401 retries, request retries and subscription
 * reconnections (see {@link kontistMetrics}). Attributes are the events' fields only: codes, statuses,
 * methods and path templates, never a token. Make one handler per client: a client runs one renewal at a
 * time, and the handler keeps the lock waits of the one under way.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 * import { metrics, trace } from "@opentelemetry/api";
 *
 * const onEvent = instrumentKontistClient({ tracer: trace.getTracer("kontist-auth"), meter: metrics.getMeter("kontist-auth") });
 * const client = new Client({ clientId: "my-client", clientSecret: "…", onEvent });
 */
export function instrumentKontistClient({ tracer, meter }: KontistTelemetry): (event: ClientEvent) => void {
  const seconds = { unit: "s" } as const;
  const renewalDuration = meter.createHistogram(kontistMetrics.renewalDuration, {
    ...seconds,
    description: "How long token renewals took, by outcome.",
  });
  const lockWait = meter.createHistogram(kontistMetrics.lockWait, {
    ...seconds,
    description: "How long the client waited for the token store's lock.",
  });
  const unauthorizedRetries = meter.createCounter(kontistMetrics.unauthorizedRetries, {
    description: "Requests answered 401 and sent again with a renewed token.",
  });
  const retries = meter.createCounter(kontistMetrics.retries, {
    description: "Idempotent requests sent again after a failure, a 429 or a 5xx.",
  });
  const reconnections = meter.createCounter(kontistMetrics.reconnections, {
    description: "Reconnections of the subscriptions' WebSocket.",
  });
  /** The lock waits of the renewal under way (with when they ended), or `undefined` between renewals. */
  let lockWaits: { attributes: Attributes; at: number }[] | undefined;

  /** The renewal's span, from `durationMs` ago until now, with the lock waits during it. */
  const renewalSpan = (durationMs: number, attributes: Attributes): Span => {
    const now = Date.now();
    const span = tracer.startSpan(renewalSpanName, { startTime: now - durationMs, attributes });
    for (const { attributes, at } of lockWaits ?? [])
      span.addEvent("kontist_auth.store.lock_waited", attributes, at);
    lockWaits = undefined;
    return span;
  };

  return (event) => {
    switch (event.type) {
      case "renewal.started":
        lockWaits = [];
        return;
      case "renewal.succeeded": {
        const outcome = { "kontist_auth.renewal.outcome": "succeeded" };
        renewalDuration.record(event.durationMs / 1000, outcome);
        return renewalSpan(event.durationMs, outcome).end();
      }
      case "renewal.failed": {
        const outcome = { "kontist_auth.renewal.outcome": "failed", "error.type": event.code };
        renewalDuration.record(event.durationMs / 1000, outcome);
        const span = renewalSpan(event.durationMs, {
          ...outcome,
          ...(event.status === undefined ? {} : { "http.response.status_code": event.status }),
          ...(event.oauthError === undefined ? {} : { "kontist_auth.oauth_error": event.oauthError }),
        });
        span.setStatus({ code: SpanStatusCode.ERROR, message: event.code });
        return span.end();
      }
      case "store.lockWaited": {
        const acquired = { "kontist_auth.lock.acquired": event.acquired };
        lockWaits?.push({
          attributes: { "kontist_auth.lock.wait_ms": event.waitMs, ...acquired },
          at: Date.now(),
        });
        lockWait.record(event.waitMs / 1000, acquired);
        return;
      }
      case "request.unauthorizedRetried":
        unauthorizedRetries.add(1, { "http.request.method": event.method, "url.template": event.path });
        return;
      case "request.retried":
        retries.add(1, {
          "http.request.method": event.method,
          "url.template": event.path,
          ...(event.status === undefined ? {} : { "http.response.status_code": event.status }),
          ...(event.code === undefined ? {} : { "error.type": event.code }),
        });
        return;
      case "subscription.reconnected":
        reconnections.add(
          1,
          event.closeCode === undefined ? {} : { "kontist_auth.websocket.close_code": event.closeCode },
        );
        return;
    }
  };
}
