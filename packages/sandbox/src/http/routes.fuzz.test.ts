import { describe, expect, it } from "vitest";
import { fuzzRoute, type RouteFuzzReport, sandboxRoutes } from "../../test/routeFuzz";

// Property-based fuzzing of every route of the sandbox, enumerated from the Hono app (so a new route is
// fuzzed without being listed): arbitrary methods, path parameters, queries, headers, content types and
// bodies, with real tokens and ids or without, against a fresh sandbox per route. Not one 5xx, not one
// request left without an answer, not one /api/user/* request let in with a token the sandbox never issued. CI runs FUZZ_ROUTE_RUNS (default 1,000) cases per route in process and
// FUZZ_LOOPBACK_RUNS (default 100) over loopback HTTP, seeded (FUZZ_SEED); `pnpm bench` runs 10,000.

const runs = Number(process.env.FUZZ_ROUTE_RUNS ?? 1_000);
const loopbackRuns = Number(process.env.FUZZ_LOOPBACK_RUNS ?? 100);
const seed = Number(process.env.FUZZ_SEED ?? 20_251_101);
const routes = sandboxRoutes();

function expectNoServerError(report: RouteFuzzReport, cases: number) {
  expect(report.failures).toEqual([]);
  expect(report.serverErrors).toBe(0);
  expect(report.forgedAccepted).toBe(0);
  expect(report.cases).toBe(cases);
}

describe("every sandbox route under fuzzing", () => {
  it("finds the routes in the app, test-support routes included", () => {
    expect(routes).toContainEqual({ method: "POST", path: "/api/oauth/token" });
    expect(routes).toContainEqual({ method: "PATCH", path: "/api/user/mfa/challenges/:challengeId" });
    expect(routes).toContainEqual({ method: "POST", path: "/sandbox/faults" });
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  const named = routes.map((route) => [`${route.method} ${route.path}`, route] as const);
  it.each(named)(
    "%s answers every fuzzed request below 500, and no forged token",
    { timeout: 60_000 },
    async (_name, route) => {
      const inProcess = await fuzzRoute(route, { runs, seed, transport: "in-process" });
      expectNoServerError(inProcess, runs);
      // The real tokens, ids and shaped bodies get past the checks to the handler, not only to a 4xx.
      expect((inProcess.statuses["2xx"] ?? 0) + (inProcess.statuses["3xx"] ?? 0)).toBeGreaterThan(0);
      expectNoServerError(
        await fuzzRoute(route, { runs: loopbackRuns, seed, transport: "loopback" }),
        loopbackRuns,
      );
    },
  );
});
