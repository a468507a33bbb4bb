import { isKontistAuthError, paths } from "@kontist-auth/protocol";
import { type FaultUser, loggedInThrough } from "./faultCalls";
import { settleWithin } from "./faultCase";
import { type Fault, type FaultKind, faultKinds, type ProxyLogEntry, startFaultProxy } from "./faultProxy";
import type { Sandbox } from "./sandboxSupport";

// The randomized soak: thousands of calls of one client through the fault proxy, faults mixed at random
// (seeded), then the faults stop and the client must carry on with the same refresh token.

export interface SoakOptions {
  /** A sandbox of the soak's own (its stats are compared with the proxy's log); refresh tokens not rotated. */
  sandbox: Sandbox;
  user: FaultUser;
  calls: number;
  /** Milliseconds after which no new call starts (CI's bound); default none. */
  budgetMs?: number;
  /** Calls in flight at once. */
  concurrency: number;
  seed: number;
  /** The share of requests that get a fault. */
  faultRate: number;
}

export interface SoakResult {
  seed: number;
  /** Calls made: `calls`, or fewer when the budget ran out. */
  calls: number;
  elapsedMs: number;
  /** Faults applied, by kind. */
  injected: Record<FaultKind, number>;
  /** Calls by outcome: `ok`, or the code of the typed error. */
  outcomes: Record<string, number>;
  /** Calls that had not settled 15 s after they started. */
  hangs: number;
  /** Failures that were not typed errors (their text). */
  untyped: string[];
  /** Calls after which the client held no token, or another refresh token than the first. */
  lineageBreaks: number;
  /** Non-idempotent requests beyond one per call, by kind (0 each: no blind retries). */
  extraSends: { mutations: number; posts: number; refreshes: number };
  /** Idempotent requests sent again by the retry policy. */
  retries: number;
  /** After the faults stopped: a query, then a refresh that keeps the refresh token. */
  recovered: boolean;
  /** The sandbox's grants and requests equal what the proxy forwarded. */
  sandboxAgrees: boolean;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const soakTimeout = 1_000;

function randomFault(random: () => number): Fault {
  const kind = faultKinds[Math.floor(random() * faultKinds.length)] ?? "status";
  switch (kind) {
    case "status":
      return { kind, status: [500, 502, 503, 504][Math.floor(random() * 4)] ?? 503 };
    case "rateLimit":
      return { kind, retryAfter: random() < 0.5 ? "0" : "1" };
    case "delay":
      return { kind, ms: soakTimeout + 200 };
    case "truncate":
      return { kind, keepLength: random() < 0.5 };
    default:
      return { kind };
  }
}

type CallKind =
  | "query"
  | "list"
  | "devices"
  | "bindingRequest"
  | "post"
  | "mutation"
  | "requestBinding"
  | "refresh";
const mix: readonly [CallKind, number][] = [
  ["query", 0.25],
  ["list", 0.15],
  ["devices", 0.1],
  ["bindingRequest", 0.1],
  ["post", 0.1],
  ["mutation", 0.1],
  ["requestBinding", 0.1],
  ["refresh", 0.1],
];

function pickCall(random: () => number): CallKind {
  let at = random();
  for (const [kind, share] of mix) {
    at -= share;
    if (at < 0) return kind;
  }
  return "query";
}

/** Runs the soak; the caller asserts on the result. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { sandbox, user, calls, concurrency, seed, faultRate, budgetMs = Number.POSITIVE_INFINITY } = options;
  const proxy = await startFaultProxy(sandbox.url);
  try {
    const client = await loggedInThrough(proxy, user, { timeout: soakTimeout });
    const lineage = client.auth.tokenManager.token?.refreshToken;
    const { id: bindingRequestId } = await client.auth.device.requestBinding({ name: "soak" });
    const firstSoakEntry = proxy.log.length;
    const faultRandom = seededRandom(seed);
    const callRandom = seededRandom(seed ^ 0x5eed);
    proxy.setRule(() => (faultRandom() < faultRate ? randomFault(faultRandom) : undefined));

    const made: Record<CallKind, number> = Object.fromEntries(mix.map(([kind]) => [kind, 0])) as Record<
      CallKind,
      number
    >;
    const outcomes: Record<string, number> = {};
    const untyped: string[] = [];
    let hangs = 0;
    let lineageBreaks = 0;
    const send = (kind: CallKind): Promise<unknown> => {
      switch (kind) {
        case "query":
          return client.graphQL.rawQuery("{ viewer { id email } }");
        case "list":
          return client.request({ method: "GET", path: paths.mfaChallenges });
        case "devices":
          return client.auth.device.list();
        case "bindingRequest":
          return client.auth.device.getBindingRequest(bindingRequestId);
        case "post":
          return client.request({ method: "POST", path: paths.mfaChallenges });
        case "mutation":
          return client.graphQL.rawQuery(
            'mutation { createDeviceBindingRequest(deviceName: "soak") { id } }',
          );
        case "requestBinding":
          return client.auth.device.requestBinding({ name: "soak" });
        default:
          return client.auth.tokenManager.refresh();
      }
    };
    let next = 0;
    const started = performance.now();
    const lane = async () => {
      while (next < calls && performance.now() - started < budgetMs) {
        next++;
        const kind = pickCall(callRandom);
        made[kind]++;
        const result = await settleWithin(send(kind), 15_000);
        const outcome =
          result.settled === "resolved" ? "ok" : result.settled === "hang" ? "hang" : codeOf(result.error);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (result.settled === "hang") hangs++;
        if (result.settled === "rejected" && !isKontistAuthError(result.error))
          untyped.push(String(result.error));
        if (client.auth.tokenManager.token?.refreshToken !== lineage) lineageBreaks++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const elapsedMs = performance.now() - started;

    proxy.setRule(undefined);
    const soakLog = proxy.log.slice(firstSoakEntry);
    const recovery = await settleWithin(
      (async () => {
        await client.graphQL.rawQuery("{ viewer { id } }");
        const renewed = await client.auth.tokenManager.refresh();
        return renewed.refreshToken === lineage;
      })(),
      15_000,
    );
    return {
      seed,
      calls: next,
      elapsedMs,
      injected: countFaults(soakLog),
      outcomes,
      hangs,
      untyped,
      lineageBreaks,
      extraSends: {
        mutations: sent(soakLog, isMutation) - made.mutation - made.requestBinding,
        posts: sent(soakLog, isChallengePost) - made.post,
        // Concurrent refresh() calls share one request: at most one each.
        refreshes: Math.max(0, sent(soakLog, isRefresh) - made.refresh),
      },
      retries: sent(soakLog, isIdempotent) - made.query - made.list - made.devices - made.bindingRequest,
      recovered: recovery.settled === "resolved" && recovery.value === true,
      sandboxAgrees: await sandboxAgrees(sandbox, proxy.log),
    };
  } finally {
    await proxy.close();
  }
}

const isMutation = (entry: ProxyLogEntry) => entry.operation === "mutation createDeviceBindingRequest";
const isChallengePost = (entry: ProxyLogEntry) =>
  entry.method === "POST" && entry.path === paths.mfaChallenges;
const isRefresh = (entry: ProxyLogEntry) => entry.operation === "grant refresh_token";
const isIdempotent = (entry: ProxyLogEntry) =>
  entry.method === "GET" || (entry.operation?.startsWith("query ") ?? false);
const sent = (log: ProxyLogEntry[], match: (entry: ProxyLogEntry) => boolean) => log.filter(match).length;

function countFaults(log: ProxyLogEntry[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  for (const entry of log) if (entry.fault !== undefined) counts[entry.fault]++;
  return counts;
}

/** The sandbox counted every grant and request the proxy forwarded, and no other. */
async function sandboxAgrees(sandbox: Sandbox, log: readonly ProxyLogEntry[]): Promise<boolean> {
  const stats = await sandbox.test.stats();
  const forwarded = log.filter((entry) => entry.forwarded);
  const grants = (grant: string) => forwarded.filter((entry) => entry.operation === `grant ${grant}`).length;
  const counted = Object.values(stats.requests).reduce((sum, count) => sum + count, 0);
  return (
    (stats.grants.password ?? 0) === grants("password") &&
    (stats.grants.refresh_token ?? 0) === grants("refresh_token") &&
    counted === forwarded.length
  );
}

function codeOf(error: unknown): string {
  return isKontistAuthError(error) ? error.code : "untyped";
}
