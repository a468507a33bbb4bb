import { isKontistAuthError } from "@kontist-auth/protocol";
import { type CallContext, type ClientCall, type FaultUser, loggedInThrough } from "./faultCalls";
import { type Fault, type ProxyLogEntry, startFaultProxy } from "./faultProxy";
import type { Sandbox } from "./sandboxSupport";

// One client call under one fault, through a proxy of its own: what happened, measured for the tests'
// assertions and for BENCHMARKS.md.

/** The faults of the matrix, by name. */
export const faultVariants: readonly { name: string; fault: Fault }[] = [
  { name: "HTTP 503", fault: { kind: "status", status: 503 } },
  { name: "HTTP 429 with Retry-After", fault: { kind: "rateLimit", retryAfter: "1" } },
  { name: "delay past the timeout", fault: { kind: "delay", ms: 1_500 } },
  { name: "reset before the request is forwarded", fault: { kind: "resetBeforeForward" } },
  { name: "reset after the request was processed", fault: { kind: "resetAfterForward" } },
  { name: "body cut off (connection closed)", fault: { kind: "truncate" } },
  { name: "body cut short (shorter Content-Length)", fault: { kind: "truncate", keepLength: false } },
  { name: "non-JSON body", fault: { kind: "nonJson" } },
  { name: "wrong content type", fault: { kind: "wrongContentType" } },
  { name: "answer after the caller aborted", fault: { kind: "holdUntilAborted" } },
];

/** What a call that gets no usable answer fails with, when it is not retried; `undefined` for body faults. */
export function failureCode(fault: Fault): string | undefined {
  switch (fault.kind) {
    case "status":
    case "rateLimit":
      return "HTTP_ERROR";
    case "delay":
    case "holdUntilAborted":
      return "TIMEOUT";
    case "resetBeforeForward":
    case "resetAfterForward":
      return "NETWORK_ERROR";
    case "truncate":
      return fault.keepLength === false ? undefined : "NETWORK_ERROR";
    default:
      return undefined;
  }
}

/** Whether the client's retry policy retries an idempotent request after this fault (no answer, 429, 5xx). */
export const isRetryableFault = (fault: Fault) => failureCode(fault) !== undefined;

/** Whether the caller aborts the call while its answer is held (the call takes a signal). */
export const abortsByCaller = (call: ClientCall, fault: Fault) =>
  call.abortable && fault.kind === "holdUntilAborted";

export interface CaseOutcome {
  call: string;
  fault: Fault;
  /** `hang` when the call had not settled by the deadline. */
  settled: "resolved" | "rejected" | "hang";
  error: unknown;
  /** The requests of the call the fault targets, in the proxy's log (the first got the fault). */
  sends: ProxyLogEntry[];
  /** The proxy's whole log of the case, setup included. */
  log: ProxyLogEntry[];
  /** Whether the fault was applied at all. */
  faultApplied: boolean;
  /** The token is the one before, or (after a successful grant or confirmation) a complete new one. */
  tokenIntact: boolean;
  /** After the fault: a refresh and a GraphQL query work. */
  recovered: boolean;
  /** Why they did not. */
  recoveryError: unknown;
  elapsedMs: number;
}

/** The reason the tests' caller aborts with. */
export const callerAbort = new Error("the caller aborted");

/** Rejects with `hang` unless `promise` settles within `ms`. */
export async function settleWithin<T>(promise: Promise<T>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ settled: "hang"; value: undefined; error: undefined }>((resolve) => {
    timer = setTimeout(() => resolve({ settled: "hang", value: undefined, error: undefined }), ms);
  });
  const outcome = promise.then(
    (value) => ({ settled: "resolved" as const, value, error: undefined }),
    (error: unknown) => ({ settled: "rejected" as const, value: undefined, error }),
  );
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const callDeadlineMs = 15_000;

/** Runs `call` for `user` through a new proxy that applies `fault` to the call's target request. */
export async function runCase(
  sandbox: Sandbox,
  call: ClientCall,
  fault: Fault,
  user: FaultUser,
): Promise<CaseOutcome> {
  const proxy = await startFaultProxy(sandbox.url);
  try {
    const client = await loggedInThrough(proxy, user);
    const context: CallContext = { sandbox, proxy, user, client };
    const run = await call.prepare(context);
    const before = client.auth.tokenManager.token;
    const first = proxy.log.length;
    proxy.inject(fault, call.target);
    const controller = new AbortController();
    const watcher = abortersFor(call, fault, proxy.log, first, controller);
    const started = performance.now();
    const result = await settleWithin(run(controller.signal), callDeadlineMs);
    const elapsedMs = performance.now() - started;
    clearInterval(watcher);
    const sends = proxy.log.slice(first).filter(call.target);
    const after = client.auth.tokenManager.token;
    const unchanged =
      after !== null &&
      after.accessToken === before?.accessToken &&
      after.refreshToken === before?.refreshToken;
    const complete =
      after !== null &&
      after.accessToken.length > 0 &&
      (before?.refreshToken === undefined || !!after.refreshToken);
    const tokenIntact = unchanged || (result.settled === "resolved" && call.renewsToken && complete);
    proxy.clear();
    const recovery = await settleWithin(
      (async () => {
        await client.auth.tokenManager.refresh();
        await client.graphQL.rawQuery("{ viewer { id } }");
      })(),
      callDeadlineMs,
    );
    return {
      call: call.name,
      fault,
      settled: result.settled,
      error: result.error,
      sends,
      log: [...proxy.log],
      faultApplied: sends[0]?.fault === fault.kind,
      tokenIntact,
      recovered: recovery.settled === "resolved",
      recoveryError: recovery.error,
      elapsedMs,
    };
  } finally {
    await proxy.close();
  }
}

/** For a held answer and a call that takes a signal: aborts 100 ms after the target request was read. */
function abortersFor(
  call: ClientCall,
  fault: Fault,
  log: readonly ProxyLogEntry[],
  first: number,
  controller: AbortController,
): NodeJS.Timeout | undefined {
  if (!abortsByCaller(call, fault)) return undefined;
  const watcher = setInterval(() => {
    if (log.slice(first).some((entry) => call.target(entry) && entry.fault === fault.kind)) {
      clearInterval(watcher);
      setTimeout(() => controller.abort(callerAbort), 100);
    }
  }, 10);
  return watcher;
}

/**
 * Whether `outcome` is what the contract asks: it settled; a failure is a typed error (or the caller's
 * abort); an idempotent call was retried after a retryable fault and succeeded; a non-idempotent one was
 * sent once and failed as the fault says; the token is intact and a refresh afterwards works. Returns
 * the broken rules, none when all hold.
 */
export function brokenRules(call: ClientCall, outcome: CaseOutcome): string[] {
  const { fault, settled, error, sends } = outcome;
  const broken: string[] = [];
  const failWith = (rule: string) => broken.push(rule);
  if (settled === "hang") failWith("settles");
  if (!outcome.faultApplied) failWith("the fault reached the call's request");
  if (settled === "rejected" && !isKontistAuthError(error) && error !== callerAbort) {
    failWith(`fails with a typed error (got ${String(error)})`);
  }
  const callerAborted = abortsByCaller(call, fault);
  if (call.idempotent && isRetryableFault(fault) && !callerAborted) {
    if (settled !== "resolved") failWith(`an idempotent call recovers by retrying (got ${codeOf(error)})`);
    if (sends.length !== 2) failWith(`an idempotent call is sent again once (sent ${sends.length} times)`);
  } else if (sends.length !== 1) {
    failWith(`sent once (sent ${sends.length} times)`);
  }
  // Cutting an empty body (a 204) leaves the answer whole.
  const expected = fault.kind === "truncate" && sends[0]?.status === 204 ? undefined : failureCode(fault);
  const code = isKontistAuthError(error) ? error.code : undefined;
  if (!call.idempotent && expected !== undefined && !callerAborted && code !== expected) {
    failWith(`a non-idempotent call fails with ${expected} (got ${settled} ${codeOf(error)})`);
  }
  if (callerAborted && settled !== "rejected") failWith("an aborted call rejects");
  if (!outcome.tokenIntact) failWith("the token stays, or is replaced by a complete new one");
  if (!outcome.recovered) {
    failWith(`a refresh and a query work after the fault (got ${codeOf(outcome.recoveryError)})`);
  }
  return broken;
}

function codeOf(error: unknown): string {
  return isKontistAuthError(error) ? `${error.code}: ${error.message}` : String(error);
}
