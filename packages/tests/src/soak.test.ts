import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { faultUsers } from "../test/faultCalls";
import { runSoak } from "../test/faultSoak";
import { type Sandbox, startSandbox } from "../test/sandboxSupport";

// The randomized soak, bounded for CI: a few thousand calls through the fault proxy with faults mixed at
// random, then the faults stop; at most 25 s of calls (a loaded machine makes fewer). `SOAK_SEED=<n>`
// replays a run's faults and calls (their interleaving may differ); `SOAK_CALLS=<n>` makes it longer
// (`pnpm bench` runs a bigger one).

const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const calls = Number(process.env.SOAK_CALLS ?? 3_000);
const [user] = faultUsers(1);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, users: user ? [user] : [] });
});
afterAll(() => sandbox?.close());

describe("the randomized soak", () => {
  it(`up to ${calls} calls with random faults settle, none is sent blindly twice, the refresh token lineage continues`, async () => {
    if (user === undefined) throw new Error("no user");
    console.log(`soak seed ${seed} (replay with SOAK_SEED=${seed})`);
    const budgetMs = process.env.SOAK_CALLS === undefined ? 25_000 : undefined;
    const result = await runSoak({ sandbox, user, calls, budgetMs, concurrency: 32, seed, faultRate: 0.2 });
    console.log(`soak seed ${seed}: ${JSON.stringify(result)}`);
    const about = `soak seed ${seed}`;
    expect(result.calls, about).toBeGreaterThanOrEqual(Math.min(calls, 1_000));
    expect(result.hangs, about).toBe(0);
    expect(result.untyped, about).toEqual([]);
    expect(result.lineageBreaks, about).toBe(0);
    expect(result.extraSends, about).toEqual({ mutations: 0, posts: 0, refreshes: 0 });
    expect(result.recovered, about).toBe(true);
    expect(result.sandboxAgrees, about).toBe(true);
    // The soak did what it says: every kind of fault, retries, successes and typed failures.
    for (const [kind, count] of Object.entries(result.injected))
      expect(count, `${about}: ${kind}`).toBeGreaterThan(0);
    expect(result.retries, about).toBeGreaterThan(0);
    expect(result.outcomes.ok ?? 0, about).toBeGreaterThan(result.calls / 2);
  }, 120_000);
});
