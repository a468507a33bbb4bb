import { isKontistAuthError, paths, sleep } from "@kontist-auth/protocol";
import { memoryStore } from "@kontist-auth/token-store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCalls, type FaultUser, faultUsers, loggedInThrough } from "../test/faultCalls";
import {
  brokenRules,
  type CaseOutcome,
  callerAbort,
  faultVariants,
  runCase,
  settleWithin,
} from "../test/faultCase";
import { type FaultProxy, type ProxyLogEntry, startFaultProxy } from "../test/faultProxy";
import { type Sandbox, startSandbox } from "../test/sandboxSupport";

// Every client call under every fault a network, a gateway or a server can cause, through a real proxy
// in front of the sandbox (test/faultProxy.ts). See test/faultCase.ts for the rules each case checks.

const users = faultUsers(clientCalls.length * faultVariants.length + 40);
let nextUser = 0;
const takeUser = (): FaultUser => {
  const user = users[nextUser++];
  if (user === undefined) throw new Error("out of seeded users");
  return user;
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, users });
});
afterAll(() => sandbox?.close());

const outcomes: CaseOutcome[] = [];
const forwardedLogs: ProxyLogEntry[][] = [];

describe.concurrent("every client call under every fault", () => {
  it.each(clientCalls.map((call) => [call.name, call] as const))(
    "%s: settles, is retried only if idempotent, keeps its token, and a refresh works after",
    async (_name, call) => {
      // Two faults of the call at a time (ten cases in all with vitest's five tests at once): most of a
      // case is waiting out a timeout or a Retry-After, but more at once make a busy machine miss timeouts.
      const results: string[] = [];
      const queue = [...faultVariants];
      const worker = async () => {
        for (let variant = queue.shift(); variant !== undefined; variant = queue.shift()) {
          const outcome = await runCase(sandbox, call, variant.fault, takeUser());
          outcomes.push(outcome);
          forwardedLogs.push(outcome.log);
          results.push(...brokenRules(call, outcome).map((rule) => `${variant.name}: ${rule}`));
        }
      };
      await Promise.all([worker(), worker()]);
      expect(results).toEqual([]);
    },
    45_000,
  );
});

describe("what reached the sandbox", () => {
  it("is exactly what the proxies forwarded: every grant and every request counted", async () => {
    expect(outcomes).toHaveLength(clientCalls.length * faultVariants.length);
    const stats = await sandbox.test.stats();
    const entries = forwardedLogs.flat().filter((entry) => entry.forwarded);
    const grants = (grant: string) => entries.filter((entry) => entry.operation === `grant ${grant}`).length;
    expect(stats.grants.password ?? 0).toBe(grants("password"));
    expect(stats.grants.refresh_token ?? 0).toBe(grants("refresh_token"));
    const counted = Object.values(stats.requests).reduce((sum, count) => sum + count, 0);
    expect(counted).toBe(entries.length);
  });
});

describe("Retry-After and backoff on idempotent calls", () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(sandbox.url);
  });
  afterAll(() => proxy?.close());
  const isList = (entry: Pick<ProxyLogEntry, "method" | "path">) =>
    entry.method === "GET" && entry.path === paths.mfaChallenges;
  const list = async (options: Parameters<typeof loggedInThrough>[2] = {}, signal?: AbortSignal) => {
    const client = await loggedInThrough(proxy, takeUser(), options);
    const first = proxy.log.length;
    const started = performance.now();
    const result = await settleWithin(
      client.request({ method: "GET", path: paths.mfaChallenges, signal }),
      10_000,
    );
    const sends = proxy.log.slice(first).filter(isList);
    return { ...result, sends, elapsedMs: performance.now() - started };
  };
  const gap = (sends: ProxyLogEntry[], index = 1) => (sends[index]?.at ?? 0) - (sends[index - 1]?.at ?? 0);

  it("waits the seconds of Retry-After before the retry", async () => {
    proxy.inject({ kind: "rateLimit", retryAfter: "1" }, isList);
    const { settled, sends } = await list();
    expect(settled).toBe("resolved");
    expect(sends.map((entry) => entry.fault)).toEqual(["rateLimit", undefined]);
    expect(gap(sends)).toBeGreaterThanOrEqual(950);
  });

  it("waits until the HTTP-date of Retry-After", async () => {
    proxy.inject({ kind: "rateLimit", retryAfter: new Date(Date.now() + 2_000).toUTCString() }, isList);
    const { settled, sends } = await list();
    expect(settled).toBe("resolved");
    expect(sends).toHaveLength(2);
    // An HTTP-date has whole seconds: the wait is between one and two of them.
    expect(gap(sends)).toBeGreaterThanOrEqual(900);
    expect(gap(sends)).toBeLessThan(3_000);
  });

  it("answers a Retry-After beyond maxRetryAfter at once with the 429, sent once", async () => {
    proxy.inject({ kind: "rateLimit", retryAfter: "3600" }, isList);
    const { settled, error, sends, elapsedMs } = await list();
    expect(settled).toBe("rejected");
    expect(isKontistAuthError(error, "HTTP_ERROR") && error.status).toBe(429);
    expect(sends).toHaveLength(1);
    expect(elapsedMs).toBeLessThan(1_000);
  });

  it("retries up to the limit with backoff, then throws the last attempt's error", async () => {
    for (let n = 0; n < 3; n++) proxy.inject({ kind: "status", status: 503 }, isList);
    const failed = await list({ retry: { limit: 2, baseDelay: 50, maxDelay: 80, maxRetryAfter: 5_000 } });
    expect(failed.settled).toBe("rejected");
    expect(isKontistAuthError(failed.error, "HTTP_ERROR") && failed.error.status).toBe(503);
    expect(failed.sends.map((entry) => entry.fault)).toEqual(["status", "status", "status"]);
    // Full jitter: each wait is at most its bound (50, then 80 capped by maxDelay), plus the round trip.
    expect(gap(failed.sends, 1)).toBeLessThan(50 + 200);
    expect(gap(failed.sends, 2)).toBeLessThan(80 + 200);

    for (let n = 0; n < 2; n++) proxy.inject({ kind: "resetBeforeForward" }, isList);
    const recovered = await list();
    expect(recovered.settled).toBe("resolved");
    expect(recovered.sends).toHaveLength(3);
  });

  it("sends once with retry: false", async () => {
    proxy.inject({ kind: "status", status: 503 }, isList);
    const { settled, error, sends } = await list({ retry: false });
    expect(settled).toBe("rejected");
    expect(isKontistAuthError(error, "HTTP_ERROR") && error.status).toBe(503);
    expect(sends).toHaveLength(1);
  });

  it("ends a wait at once when the caller aborts; nothing is sent again", async () => {
    proxy.inject({ kind: "rateLimit", retryAfter: "4" }, isList);
    const controller = new AbortController();
    setTimeout(() => controller.abort(callerAbort), 300);
    const { settled, error, sends, elapsedMs } = await list({}, controller.signal);
    expect(settled).toBe("rejected");
    expect(error).toBe(callerAbort);
    expect(elapsedMs).toBeLessThan(1_500);
    await sleep(200);
    expect(proxy.log.filter(isList).slice(-1)[0]?.fault).toBe("rateLimit");
    expect(sends).toHaveLength(1);
  });
});

describe("GraphQL documents: only those of queries alone are retried", () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(sandbox.url);
  });
  afterAll(() => proxy?.close());
  const isGraphQL = (entry: { path: string }) => entry.path === paths.graphQL;

  it.each([
    [
      "a mutation after a comment saying query",
      '# query\nmutation { createDeviceBindingRequest(deviceName: "x") { id } }',
      1,
    ],
    [
      "a mutation after a fragment",
      'fragment F on DeviceBindingRequest { id }\nmutation { createDeviceBindingRequest(deviceName: "x") { ...F } }',
      1,
    ],
    [
      "a query and a mutation in one document",
      'query Q { viewer { id } }\nmutation M { deleteBoundDevice(deviceId: "x") }',
      1,
    ],
    ["a subscription", "subscription { newTransaction { id } }", 1],
    ["a query using a fragment defined after it", "query { viewer { ...F } }\nfragment F on User { id }", 2],
    [
      "a query whose string argument says mutation",
      'query { getDeviceBindingRequest(id: "mutation {") { id } }',
      2,
    ],
    ["a shorthand query with a comment saying mutation", "{ viewer { id } } # mutation { }", 2],
  ] as const)(
    "%s: reset after the sandbox processed it, it is sent %i time(s)",
    async (_name, document, times) => {
      const client = await loggedInThrough(proxy, takeUser());
      const first = proxy.log.length;
      proxy.inject({ kind: "resetAfterForward" }, isGraphQL);
      const result = await settleWithin(client.graphQL.rawQuery(document), 10_000);
      expect(proxy.log.slice(first).filter(isGraphQL)).toHaveLength(times);
      if (times === 1) expect(isKontistAuthError(result.error, "NETWORK_ERROR")).toBe(true);
      else expect(result.settled).toBe("resolved");
    },
  );
});

describe("a renewal shared by 20 callers of an expired token, under each fault, with a token store", () => {
  let shortLived: Sandbox;
  beforeAll(async () => {
    shortLived = await startSandbox({ port: 0, users, accessTokenTtl: 2 });
  });
  afterAll(() => shortLived?.close());
  const isRefresh = (entry: { operation: string | undefined }) => entry.operation === "grant refresh_token";
  const query = "{ viewer { id } }";

  it.concurrent.each(faultVariants.map((variant) => [variant.name, variant.fault] as const))(
    "%s: one refresh request, every caller settles, the token stays, the next call renews at once",
    async (_name, fault) => {
      const proxy = await startFaultProxy(shortLived.url);
      try {
        const options = { refreshLeeway: 0, tokenStore: memoryStore() };
        const client = await loggedInThrough(proxy, takeUser(), options);
        const before = client.auth.tokenManager.token;
        await sleep(2_100);
        proxy.inject(fault, isRefresh);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => settleWithin(client.graphQL.rawQuery(query), 15_000)),
        );
        expect(results.filter((result) => result.settled === "hang")).toEqual([]);
        const untyped = results.filter(
          (result) => result.settled === "rejected" && !isKontistAuthError(result.error),
        );
        expect(untyped).toEqual([]);
        expect(proxy.log.filter(isRefresh)).toHaveLength(1);
        const after = client.auth.tokenManager.token;
        if (results.some((result) => result.settled === "rejected")) {
          expect(after?.accessToken).toBe(before?.accessToken);
        }
        expect(after?.refreshToken).toBe(before?.refreshToken);
        proxy.clear();
        // Not stuck: neither the single flight nor the store's lock (its TTL is 3 s) holds the next renewal.
        const started = performance.now();
        const next = await settleWithin(client.graphQL.rawQuery(query), 15_000);
        expect(next.settled).toBe("resolved");
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(client.auth.tokenManager.token?.refreshToken).toBe(before?.refreshToken);
      } finally {
        await proxy.close();
      }
    },
    30_000,
  );

  it("a caller that aborts leaves the shared renewal running for the others", async () => {
    const proxy = await startFaultProxy(shortLived.url);
    try {
      const client = await loggedInThrough(proxy, takeUser(), { refreshLeeway: 0 });
      const before = client.auth.tokenManager.token;
      await sleep(2_100);
      proxy.inject({ kind: "delay", ms: 500 }, isRefresh);
      const controller = new AbortController();
      const started = performance.now();
      const aborting = settleWithin(
        client.request({ method: "GET", path: paths.mfaChallenges, signal: controller.signal }),
        5_000,
      ).then((result) => ({ ...result, elapsedMs: performance.now() - started }));
      const others = Array.from({ length: 5 }, () => settleWithin(client.graphQL.rawQuery(query), 5_000));
      setTimeout(() => controller.abort(callerAbort), 100);
      const aborted = await aborting;
      expect(aborted.error).toBe(callerAbort);
      expect(aborted.elapsedMs).toBeLessThan(450);
      expect((await Promise.all(others)).map((result) => result.settled)).toEqual(Array(5).fill("resolved"));
      expect(proxy.log.filter(isRefresh)).toHaveLength(1);
      expect(client.auth.tokenManager.token?.accessToken).not.toBe(before?.accessToken);
      expect(client.auth.tokenManager.token?.refreshToken).toBe(before?.refreshToken);
    } finally {
      await proxy.close();
    }
  });
});
