import { describe, expect, it } from "vitest";
import { loadSteps } from "../test/load/loadFlow";
import { type LoadScenario, runLoadScenario, transientState } from "../test/load/loadScenario";

// Load, bounded for CI (`pnpm bench` runs 1,000 flows): complete flows at once — password login, device
// binding request confirmed as the user, bind (createDevice, the SMS OTP signed), confirm (device
// challenge), refresh — against one sandbox in a process of its own, the flows driven from another.
// Zero errors, and once the flows' state has expired and been pruned, the sandbox holds nothing but their
// bound devices and its memory is back near where it started.

const scenario: LoadScenario = { flows: 200, warmup: 100, ttl: 15, pruneInterval: 0.5 };
const MB = 2 ** 20;

describe("load: complete flows at once against one sandbox process", () => {
  it(`${scenario.flows} concurrent flows: no error; state and memory settle back once pruned`, {
    timeout: 120_000,
  }, async () => {
    const { warmup, report, memory } = await runLoadScenario(scenario);
    expect(warmup.errors).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.failed).toBe(0);
    for (const step of loadSteps) expect(report.steps[step].p50).toBeGreaterThan(0);

    const { before, afterFlows, settled } = memory;
    expect(before.state.total).toBe(0);
    // Right after the flows their state is live: tokens, OTPs, challenges, binding requests, outboxes.
    expect(afterFlows.state.devices).toBe(scenario.flows);
    expect(transientState(afterFlows.state)).toBeGreaterThan(scenario.flows);
    // Once it expired and was pruned: only the bound devices, nothing else.
    expect(settled.state).toEqual({
      refreshTokens: 0,
      authorizationCodes: 0,
      loginSessions: 0,
      pendingLogins: 0,
      devices: scenario.flows,
      deviceVerifications: 0,
      deviceChallenges: 0,
      mfaChallenges: 0,
      deviceBindingRequests: 0,
      deviceRegistrations: 0,
      rateLimitWindows: 0,
      sms: 0,
      emails: 0,
      transactions: 0,
      total: scenario.flows,
    });
    // Heap after a full GC (measured here: ~1.7 MB of transient state for 200 flows; 200 devices and
    // compiled code ~0.5 MB): pruning gives memory back, and what stays is bounded.
    expect(afterFlows.heapUsed - settled.heapUsed).toBeGreaterThan(0.5 * MB);
    expect(settled.heapUsed - before.heapUsed).toBeLessThan(2.5 * MB);
  });
});
