import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import fc from "fast-check";
import type { Hono } from "hono";
import type { SandboxEnv } from "../src/http/SandboxEnv";
import { resolveSandboxOptions } from "../src/options/resolveSandboxOptions";
import type { SandboxOptions } from "../src/options/SandboxOptions";
import { createSandboxApp } from "../src/server/createSandboxApp";
import { createSandboxRuntime } from "../src/server/createSandboxRuntime";
import { startSandbox } from "../src/server/startSandbox";
import { createFuzzFixture, type FuzzFixture, type SendRequest } from "./fuzzFixture";
import { type FuzzRequest, fuzzRequestsFor, type RegisteredRoute } from "./fuzzRequests";

/** A request that was answered 5xx, or whose answer could not be had at all. */
export interface FuzzFailure {
  request: { method: string; path: string; headers: [string, string][]; body: string };
  outcome: string;
}

/** What fuzzing one route did. */
export interface RouteFuzzReport {
  /** `METHOD /path/:param`, as Hono registered it. */
  route: string;
  cases: number;
  /** Answers by status class, e.g. `{ "2xx": 10, "4xx": 9990 }`. */
  statuses: Record<string, number>;
  /** The 5xx answers (and requests that got no answer). */
  serverErrors: number;
  /** Requests to `/api/user/*` with a bearer token the sandbox never issued that were not refused. */
  forgedAccepted: number;
  /** The first few of them, to reproduce. */
  failures: FuzzFailure[];
  milliseconds: number;
}

/** Options of {@link fuzzSandboxRoutes}. */
export interface RouteFuzzOptions {
  /** Requests per route. */
  runs: number;
  /** The seed; each route derives its own from it. */
  seed: number;
  /** `"in-process"` calls the Hono app's `fetch`; `"loopback"` goes through a real server over HTTP. */
  transport: "in-process" | "loopback";
  /** Only the routes for which this is true (default: all). */
  filter?: (route: RegisteredRoute) => boolean;
  /** Called after each route. */
  onRoute?: (report: RouteFuzzReport) => void;
}

/**
 * The rate limit is on, with a budget no fuzz run exhausts: the limiter looks at every request's
 * credentials (and its 429 path has tests of its own), while the requests still reach the routes.
 */
const sandboxOptions: SandboxOptions = { rateLimit: { requests: 1_000_000, windowMs: 60_000 } };

/** The routes the sandbox registers, read from the Hono app itself (middleware, method `ALL`, left out). */
export function registeredRoutes(app: Hono<SandboxEnv>): RegisteredRoute[] {
  return app.routes.filter((route) => route.method !== "ALL").map(({ method, path }) => ({ method, path }));
}

/** The routes of a sandbox with default options. */
export function sandboxRoutes(): RegisteredRoute[] {
  return registeredRoutes(createSandboxApp(createSandboxRuntime(resolveSandboxOptions(sandboxOptions))));
}

/** A sandbox to fuzz, fresh for each route: a way to send requests and to close it. */
export interface FuzzTarget {
  send: SendRequest;
  close(): Promise<void>;
}

async function inProcessTarget(): Promise<FuzzTarget> {
  const runtime = createSandboxRuntime(resolveSandboxOptions(sandboxOptions), () => "http://127.0.0.1");
  const app = createSandboxApp(runtime);
  return {
    // The Host a client on this machine sends; the /sandbox/ routes answer only loopback hosts.
    send: async (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has("host")) headers.set("host", "127.0.0.1");
      return app.fetch(new Request(`http://127.0.0.1${path}`, { ...init, headers }));
    },
    close: async () => {},
  };
}

async function loopbackTarget(): Promise<FuzzTarget> {
  const sandbox = await startSandbox({ ...sandboxOptions, port: 0 });
  return {
    send: (path, init = {}) => {
      // fetch sets these itself (and refuses some of them); everything else goes over the wire as fuzzed.
      const headers = new Headers(init.headers);
      for (const name of [
        "host",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "upgrade",
        "expect",
        "te",
        "trailer",
      ]) {
        headers.delete(name);
      }
      return fetch(`${sandbox.url}${path}`, { ...init, headers, redirect: "manual" });
    },
    close: () => sandbox.close(),
  };
}

/** A fresh sandbox with default options, reached in process or over loopback HTTP. */
export function createFuzzTarget(transport: RouteFuzzOptions["transport"]): Promise<FuzzTarget> {
  return transport === "in-process" ? inProcessTarget() : loopbackTarget();
}

const show = (body: FuzzRequest["body"]) =>
  body === undefined ? "" : typeof body === "string" ? body.slice(0, 300) : `<${body.length} bytes>`;

/** Sends one fuzzed request; the outcome is a status, or why there was none. */
async function sendCase(send: SendRequest, request: FuzzRequest): Promise<number | string> {
  let response: Response;
  try {
    response = await send(request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      redirect: "manual",
    });
  } catch (error) {
    return `no answer: ${(error as Error).name}: ${(error as Error).message}`;
  }
  try {
    await response.arrayBuffer();
  } catch (error) {
    return `a ${response.status} whose body failed: ${(error as Error).message}`;
  }
  return response.status;
}

function seedOf(base: number, key: string): number {
  let hash = base | 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  return hash;
}

/**
 * Fuzzes one route against a fresh sandbox and its fixture (see {@link fuzzSandboxRoutes}).
 *
 * @param options - `filter` and `onRoute` are not used here.
 */
export async function fuzzRoute(route: RegisteredRoute, options: RouteFuzzOptions): Promise<RouteFuzzReport> {
  const target = await createFuzzTarget(options.transport);
  try {
    const fixture: FuzzFixture = await createFuzzFixture(target.send);
    const key = `${route.method} ${route.path}`;
    const requests = fc.sample(fuzzRequestsFor(route, fixture), {
      numRuns: options.runs,
      seed: seedOf(options.seed, key),
    });
    const report: RouteFuzzReport = {
      route: key,
      cases: 0,
      statuses: {},
      serverErrors: 0,
      forgedAccepted: 0,
      failures: [],
      milliseconds: 0,
    };
    const started = performance.now();
    for (const request of requests) {
      const outcome = await sendCase(target.send, request);
      report.cases++;
      const bucket = typeof outcome === "number" ? `${Math.floor(outcome / 100)}xx` : "none";
      report.statuses[bucket] = (report.statuses[bucket] ?? 0) + 1;
      const serverError = typeof outcome !== "number" || outcome >= 500;
      // Every /api/user/* route needs a bearer token: one the sandbox never issued must get no answer but
      // 4xx (a CORS preflight, OPTIONS, is answered before any authentication).
      const forgedAccepted =
        request.forgedBearer &&
        request.method !== "OPTIONS" &&
        request.path.startsWith("/api/user/") &&
        typeof outcome === "number" &&
        outcome < 400;
      if (serverError) report.serverErrors++;
      if (forgedAccepted) report.forgedAccepted++;
      if ((serverError || forgedAccepted) && report.failures.length < 5) {
        const why = forgedAccepted
          ? `${outcome} to a bearer token the sandbox never issued`
          : String(outcome);
        report.failures.push({ request: { ...request, body: show(request.body) }, outcome: why });
      }
      // A fault the fuzzer happened to arm (POST /sandbox/faults) would answer the next request on
      // purpose with it; disarm it, so every answer counted is the sandbox's own.
      if (route.path === sandboxPaths.faults) await target.send(sandboxPaths.faults, { method: "DELETE" });
    }
    report.milliseconds = Math.round(performance.now() - started);
    return report;
  } finally {
    await target.close();
  }
}

/**
 * Fuzzes every route the sandbox registers (enumerated from the app, so a new route is fuzzed without
 * being listed) with arbitrary methods, path parameters, queries, headers, content types and bodies,
 * authenticated with real tokens or not, each route against a fresh sandbox holding real state (see
 * {@link createFuzzFixture}). Counts every answer; a 5xx, no answer, or an `/api/user/*` request that a
 * bearer token the sandbox never issued got past (see `FuzzRequest.forgedBearer`) is a failure.
 */
export async function fuzzSandboxRoutes(options: RouteFuzzOptions): Promise<RouteFuzzReport[]> {
  const routes = sandboxRoutes().filter(options.filter ?? (() => true));
  const reports: RouteFuzzReport[] = [];
  for (const route of routes) {
    const report = await fuzzRoute(route, options);
    options.onRoute?.(report);
    reports.push(report);
  }
  return reports;
}
