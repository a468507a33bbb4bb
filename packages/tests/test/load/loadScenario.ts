import { fileURLToPath } from "node:url";
import { sleep } from "@kontist-auth/protocol";
import type { SandboxStateSize } from "@kontist-auth/sandbox";
import { TestProcess, typeScriptFixture } from "../TestProcess";
import { LoadSandboxProcess } from "./LoadSandboxProcess";
import type { LoadReport } from "./loadFlow";
import type {
  LoadDriverMessage,
  LoadDriverSettings,
  LoadSandboxSettings,
  SandboxMemory,
} from "./loadMessages";

/** A load run: how many flows at once, and how short-lived their state is. */
export interface LoadScenario {
  /** Concurrent complete flows, one user each. */
  flows: number;
  /** Flows run (at once) before the measurement, so that code is compiled and caches are warm. */
  warmup: number;
  /**
   * Lifetime, in seconds, of everything a flow leaves in the sandbox's state: refresh tokens, OTPs,
   * challenges, the binding window, the device-registration window. Each must outlive a step or two of a
   * flow under load (a refresh token from the confirm step to the refresh; an OTP from createDevice to its
   * verification; a binding confirmation until the device is verified).
   */
  ttl: number;
  /** The sandbox's `pruneInterval`, in seconds. */
  pruneInterval: number;
}

/** What a load run measured: the flows, and the sandbox process's memory and state around them. */
export interface LoadRun {
  scenario: LoadScenario;
  warmup: LoadReport;
  report: LoadReport;
  memory: {
    /** After the warm-up and a reset (no state but the seeds), after a full GC. */
    before: SandboxMemory;
    /** Right after the flows, after a full GC: what their live state holds. Its peaks: during the flows. */
    afterFlows: SandboxMemory;
    /** Once the flows' state expired and was pruned, after a full GC. */
    settled: SandboxMemory;
  };
  /** Milliseconds from the end of the flows until nothing but their bound devices was left. */
  settleMs: number;
}

/** State entries other than bound devices, which are what a finished flow legitimately leaves behind. */
export function transientState(state: SandboxStateSize): number {
  return state.total - state.devices;
}

/** Lifetime of access tokens in a load run: signed JWTs the sandbox does not keep, so no state to prune. */
const accessTokenTtl = 600;

/** How long one request of a flow may take before it counts as an error, in milliseconds. */
const requestTimeoutMs = (scenario: LoadScenario) => Math.max(30, scenario.ttl) * 1000;

/**
 * The sandbox options of a load run, and why: every lifetime of state `ttl`, so the flows' state expires
 * soon after them, and `pruneInterval` to drop it; access tokens (not kept, see {@link accessTokenTtl})
 * live long enough that no flow renews one in between. `requestTimeout` as long as a request may take: with
 * a thousand requests queued, a body can wait in its socket for seconds after its headers were read, which
 * the slow-body guard (10 s by default) would answer 408. One user per flow (`loadUsers`), so each reads
 * its own SMS and the per-user `deviceRegistrationLimit` (one device per flow) holds at its default; no
 * rate limit (the default): the run measures the sandbox, not Kontist's per-token limit.
 */
export function loadSandboxSettings(scenario: LoadScenario): LoadSandboxSettings {
  const { ttl, pruneInterval } = scenario;
  return {
    options: {
      accessTokenTtl,
      refreshTokenTtl: ttl,
      otpTtl: ttl,
      challengeTtl: ttl,
      mfaChallengeTtl: ttl,
      authorizationCodeTtl: ttl,
      sessionTtl: ttl,
      deviceBindingWindow: ttl,
      deviceRegistrationWindow: ttl,
      requestTimeout: requestTimeoutMs(scenario) / 1000,
      pruneInterval,
    },
    users: scenario.warmup + scenario.flows,
    lifetimeMs: accessTokenTtl * 1000,
  };
}

/**
 * The sandbox's memory after a full GC, once the connections of a driver that has exited are closed (at
 * most 10 s): an open socket holds memory that is not the sandbox's state.
 */
async function quietMemory(sandbox: LoadSandboxProcess): Promise<SandboxMemory> {
  const deadline = performance.now() + 10_000;
  while ((await sandbox.memory({ gc: false })).connections > 0 && performance.now() < deadline) {
    await sleep(50);
  }
  return sandbox.memory({ gc: true });
}

const driverFixture = fileURLToPath(new URL("../fixtures/loadDriver.ts", import.meta.url));

/** Runs the flows of users `from` … `from + count - 1` in a driver process of its own; resolves to its report. */
async function drive(url: string, from: number, count: number, scenario: LoadScenario): Promise<LoadReport> {
  const settings: LoadDriverSettings = {
    url,
    from,
    count,
    timeoutMs: requestTimeoutMs(scenario),
    lifetimeMs: accessTokenTtl * 1000,
  };
  const driver = new TestProcess<LoadDriverMessage>("load driver", [
    ...typeScriptFixture(driverFixture),
    JSON.stringify(settings),
  ]);
  try {
    return (await driver.next("report", settings.lifetimeMs)).report;
  } finally {
    await driver.kill();
  }
}

/**
 * Runs `scenario` against a sandbox in a child process of its own, the flows driven from another (whose
 * connections close when it exits): a warm-up and a reset, the memory `before`; `flows` complete flows at
 * once; the memory right after them, and once their state has expired and been pruned (`settled`: polled
 * until only their bound devices are left, or `ttl` plus three prune intervals and 10 s have passed).
 */
export async function runLoadScenario(scenario: LoadScenario): Promise<LoadRun> {
  const { flows, warmup: warmupFlows, ttl, pruneInterval } = scenario;
  const sandbox = await LoadSandboxProcess.start(loadSandboxSettings(scenario));
  try {
    const warmup = await drive(sandbox.url, 0, warmupFlows, scenario);
    await sandbox.memory({ gc: false, resetState: true });
    const before = await quietMemory(sandbox);
    await sandbox.memory({ gc: false, resetPeak: true });
    const report = await drive(sandbox.url, warmupFlows, flows, scenario);
    const finished = performance.now();
    const afterFlows = await quietMemory(sandbox);
    const deadline = finished + (ttl + 3 * pruneInterval + 10) * 1000;
    let state = afterFlows.state;
    while (transientState(state) > 0 && performance.now() < deadline) {
      await sleep(Math.min(500, pruneInterval * 1000));
      state = (await sandbox.memory({ gc: false })).state;
    }
    const settleMs = performance.now() - finished;
    const settled = await quietMemory(sandbox);
    return { scenario, warmup, report, memory: { before, afterFlows, settled }, settleMs };
  } finally {
    await sandbox.close();
  }
}
