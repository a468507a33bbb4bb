import { Client, type ClientOptions } from "@kontist-auth/client";
import { type RunningSandbox, startSandbox } from "@kontist-auth/sandbox";
import { redisStore } from "@kontist-auth/token-store-redis";
import { SpanStatusCode } from "@opentelemetry/api";
import { type DataPoint, MeterProvider, type MetricData, MetricReader } from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  connectRedis,
  deleteKeysUnder,
  startRedisIfNeeded,
  type TestRedis,
  uniquePrefix,
} from "../../../packages/token-store-redis/test/index";
import { instrumentKontistClient, kontistMetrics, renewalSpanName } from "./telemetry";

// The OpenTelemetry wiring against the sandbox and a real Redis: spans exported to memory, metrics read
// from memory, for what real clients do (renewals that succeed or fail, a fleet waiting for the lock, a
// 401 and 503s retried). Events come a moment after what they tell of: the checks wait for the spans.

/** A metric reader that keeps nothing itself: the test collects when it wants to look. */
class InMemoryMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const mfaChallenges = "/api/user/mfa/challenges";
const user = { username: "demo@example.com", password: "demo-password" };

let sandbox: RunningSandbox;
let testRedis: TestRedis;
let redis: Redis;
beforeAll(async () => {
  [sandbox, testRedis] = await Promise.all([startSandbox({ port: 0 }), startRedisIfNeeded()]);
  redis = connectRedis(testRedis.url);
});
afterAll(async () => {
  redis?.disconnect();
  await Promise.all([sandbox?.close(), testRedis?.stop()]);
});
beforeEach(() => sandbox.test.reset());

/** A tracer and a meter recording to memory, and what they hold. */
function telemetry() {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
    "test",
  );
  const reader = new InMemoryMetricReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter("test");
  return {
    onEvent: instrumentKontistClient({ tracer, meter }),
    spans: () => exporter.getFinishedSpans(),
    /** Every metric recorded so far. */
    async metrics(): Promise<MetricData[]> {
      const { resourceMetrics, errors } = await reader.collect();
      expect(errors).toEqual([]);
      return resourceMetrics.scopeMetrics.flatMap(({ metrics }) => metrics);
    },
    /** The data points of the metric `name`, with their attributes. */
    async points(name: string): Promise<DataPoint<unknown>[]> {
      const metrics = await this.metrics();
      return metrics.find(({ descriptor }) => descriptor.name === name)?.dataPoints ?? [];
    },
  };
}

/** A client of the sandbox's confidential client, logged in as its first user. */
async function loggedIn(options: Partial<ClientOptions>): Promise<Client> {
  const client = new Client({
    baseUrl: sandbox.url,
    clientId: "demo-client",
    clientSecret: "demo-secret",
    scopes: ["users", "offline"],
    ...options,
  });
  await client.auth.tokenManager.fetchTokenFromCredentials(user);
  return client;
}

describe("instrumentKontistClient", () => {
  it("makes a span per renewal, from start to end, and records its duration by outcome", async () => {
    const recorded = telemetry();
    const client = await loggedIn({ onEvent: recorded.onEvent });
    await sandbox.test.injectFault({ route: "POST /api/oauth/token", fault: "delay", delayMs: 150 });
    await client.auth.tokenManager.refresh();

    await vi.waitFor(() => expect(recorded.spans()).toHaveLength(1));
    const [span] = recorded.spans();
    expect(span?.name).toBe(renewalSpanName);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toEqual({ "kontist_auth.renewal.outcome": "succeeded" });
    const [seconds = 0, nanoseconds = 0] = span?.duration ?? [];
    expect(seconds * 1000 + nanoseconds / 1e6).toBeGreaterThanOrEqual(145);
    const [point] = await recorded.points(kontistMetrics.renewalDuration);
    expect(point?.attributes).toEqual({ "kontist_auth.renewal.outcome": "succeeded" });
    expect(point?.value).toMatchObject({ count: 1, sum: expect.any(Number) });
    expect((point?.value as { sum?: number } | undefined)?.sum).toBeGreaterThanOrEqual(0.145);
  });

  it("ends a failed renewal's span with status ERROR, the error's code and the OAuth2 error", async () => {
    const recorded = telemetry();
    const client = await loggedIn({ onEvent: recorded.onEvent });
    await sandbox.test.reset(); // the refresh token is gone: invalid_grant
    await expect(client.auth.tokenManager.refresh()).rejects.toMatchObject({ code: "OAUTH2_ERROR" });

    await vi.waitFor(() => expect(recorded.spans()).toHaveLength(1));
    const [span] = recorded.spans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "OAUTH2_ERROR" });
    expect(span?.attributes).toEqual({
      "kontist_auth.renewal.outcome": "failed",
      "error.type": "OAUTH2_ERROR",
      "http.response.status_code": 400,
      "kontist_auth.oauth_error": "invalid_grant",
    });
    const [point] = await recorded.points(kontistMetrics.renewalDuration);
    expect(point?.attributes).toEqual({
      "kontist_auth.renewal.outcome": "failed",
      "error.type": "OAUTH2_ERROR",
    });
  });

  it("counts a 401 retried and 503s retried, by method and path template", async () => {
    const recorded = telemetry();
    const client = await loggedIn({ onEvent: recorded.onEvent, retry: { baseDelay: 10, maxDelay: 20 } });
    const route = `GET ${mfaChallenges}`;
    await sandbox.test.injectFault({ route, fault: "error", status: 401 });
    await sandbox.test.injectFault({ route, fault: "error", status: 503, times: 2 });
    await expect(client.request({ method: "GET", path: mfaChallenges })).resolves.toEqual([]);

    const request = { "http.request.method": "GET", "url.template": mfaChallenges };
    await vi.waitFor(async () =>
      expect(await recorded.points(kontistMetrics.retries)).toMatchObject([{ value: 2 }]),
    );
    expect(await recorded.points(kontistMetrics.unauthorizedRetries)).toMatchObject([
      { attributes: request, value: 1 },
    ]);
    expect(await recorded.points(kontistMetrics.retries)).toMatchObject([
      { attributes: { ...request, "http.response.status_code": 503 }, value: 2 },
    ]);
    // The 401 was answered by one renewal, with its span.
    expect(recorded.spans().map(({ name }) => name)).toEqual([renewalSpanName]);
  });

  it("a fleet sharing Redis: one instance renews, the other waits for the lock and takes its token", async () => {
    const prefix = uniquePrefix("telemetry");
    const [first, second] = [telemetry(), telemetry()];
    try {
      const renewer = await loggedIn({ tokenStore: redisStore(redis, { prefix }), onEvent: first.onEvent });
      const waiter = new Client({
        baseUrl: sandbox.url,
        clientId: "demo-client",
        clientSecret: "demo-secret",
        tokenStore: redisStore(redis, { prefix }),
        onEvent: second.onEvent,
      });
      await waiter.auth.tokenManager.loadToken();
      await sandbox.test.injectFault({ route: "POST /api/oauth/token", fault: "delay", delayMs: 200 });
      await Promise.all([renewer.auth.tokenManager.refresh(), waiter.auth.tokenManager.refresh()]);
      expect(await sandbox.test.grantCount("refresh_token")).toBe(1);
    } finally {
      await deleteKeysUnder(redis, prefix);
    }

    for (const recorded of [first, second]) await vi.waitFor(() => expect(recorded.spans()).toHaveLength(1));
    const waits = [first, second].map((recorded) => {
      const [span] = recorded.spans();
      expect(span?.attributes).toEqual({ "kontist_auth.renewal.outcome": "succeeded" });
      const [waited] = span?.events ?? [];
      expect(waited?.name).toBe("kontist_auth.store.lock_waited");
      expect(waited?.attributes?.["kontist_auth.lock.acquired"]).toBe(true);
      return { recorded, waitMs: Number(waited?.attributes?.["kontist_auth.lock.wait_ms"]) };
    });
    const [renewer, waiter] = waits.sort((a, b) => a.waitMs - b.waitMs);
    expect(renewer?.waitMs).toBeLessThan(100);
    expect(waiter?.waitMs).toBeGreaterThanOrEqual(150);
    const adopted = waiter?.recorded;
    const [lockWait] = (await adopted?.points(kontistMetrics.lockWait)) ?? [];
    expect(lockWait?.attributes).toEqual({ "kontist_auth.lock.acquired": true });
    // The waiter took the lock once, for the renewal: it loaded the token, and wrote none.
    expect(lockWait?.value).toMatchObject({ count: 1 });
  });

  it("records no token in any span or metric", async () => {
    const recorded = telemetry();
    const client = await loggedIn({ onEvent: recorded.onEvent });
    const before = client.auth.tokenManager.token;
    await client.auth.tokenManager.refresh();
    const after = client.auth.tokenManager.token;
    await vi.waitFor(() => expect(recorded.spans()).toHaveLength(1));
    const text = JSON.stringify([
      recorded.spans().map(({ name, attributes, events, status }) => ({ name, attributes, events, status })),
      await recorded.metrics(),
    ]);
    for (const secret of [before?.accessToken, before?.refreshToken, after?.accessToken, "demo-secret"]) {
      expect(secret).toBeTruthy();
      expect(text).not.toContain(secret);
    }
  });
});
