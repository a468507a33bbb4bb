import { Client } from "@kontist-auth/client";
import { createDeviceSignature, createSoftwareSigner, toDeviceKeyHex } from "@kontist-auth/crypto";
import type { SandboxTestClient, SandboxUserSeed } from "@kontist-auth/sandbox";

// One complete flow of a load run, timed step by step, with the SDK's client against the sandbox over
// loopback HTTP; the user's part (the e-mail's link, the SMS) is played with the sandbox's test client.

/** The steps of a flow, in order. */
export const loadSteps = ["login", "bindingRequest", "bind", "confirm", "refresh"] as const;
export type LoadStep = (typeof loadSteps)[number];

/** How one flow went: milliseconds per step passed, and the first error (the step, its class, code, message). */
export interface FlowResult {
  totalMs: number;
  steps: Partial<Record<LoadStep, number>>;
  error?: string;
}

/** Where the flows run: the sandbox's URL and its test client; how long one request may take. */
export interface LoadTarget {
  url: string;
  test: SandboxTestClient;
  timeoutMs: number;
}

function describeError(step: LoadStep, error: unknown): string {
  if (!(error instanceof Error)) return `${step}: ${String(error)}`;
  const { code, status } = error as { code?: unknown; status?: unknown };
  const tags = [code, status].filter((tag) => tag !== undefined).join(" ");
  return `${step}: ${error.name}${tags === "" ? "" : ` (${tags})`}: ${error.message}`;
}

/**
 * As `user`: password login → device binding request, confirmed as the user → bind (createDevice, verify
 * with the signed SMS OTP) → confirm (device challenge, a confirmed token) → refresh. Never throws: a
 * failed step ends the flow and is described in `error`.
 */
export async function runFlow(target: LoadTarget, user: SandboxUserSeed): Promise<FlowResult> {
  const client = new Client({
    baseUrl: target.url,
    clientId: "demo-client",
    clientSecret: "demo-secret",
    scopes: ["users", "offline"],
    // The load run's access tokens live seconds, not an hour: no renewal ahead of time in between steps.
    refreshLeeway: 0,
    timeout: target.timeoutMs,
  });
  const signer = createSoftwareSigner();
  let deviceId = "";
  const steps: Record<LoadStep, () => Promise<unknown>> = {
    login: () =>
      client.auth.tokenManager.fetchTokenFromCredentials({ username: user.email, password: user.password }),
    bindingRequest: async () => {
      const request = await client.auth.device.requestBinding({ name: "load" });
      await target.test.confirmBindingRequest(request.id);
    },
    bind: async () => {
      const key = toDeviceKeyHex(await signer.getPublicKey());
      const created = await client.auth.device.createDevice({ name: "load", key });
      deviceId = created.deviceId;
      const otp = await target.test.latestOtp(user.mobileNumber);
      const signature = await createDeviceSignature(signer, otp);
      await client.auth.device.verifyDevice(deviceId, { challengeId: created.challengeId, signature });
    },
    confirm: async () => {
      const token = await client.auth.device.confirm({ signer, deviceId });
      if (!token.confirmed) throw new Error("the device challenge gave an unconfirmed token");
    },
    refresh: async () => {
      const token = await client.auth.tokenManager.refresh();
      if (!token.confirmed) throw new Error("the refresh lost the confirmation");
    },
  };
  const result: FlowResult = { totalMs: 0, steps: {} };
  const started = performance.now();
  for (const step of loadSteps) {
    const stepStarted = performance.now();
    try {
      await steps[step]();
    } catch (error) {
      result.error = describeError(step, error);
      break;
    }
    result.steps[step] = performance.now() - stepStarted;
  }
  result.totalMs = performance.now() - started;
  return result;
}

/** The `p`th percentile (nearest rank) of `values`; `NaN` for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Latency in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

function latency(values: readonly number[]): Latency {
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: percentile(values, 100) };
}

/** What a load run measured (plain JSON, so a driver process can send it). */
export interface LoadReport {
  flows: number;
  /** Failed flows. */
  failed: number;
  /** Each distinct error (ids replaced by `<id>`), with how many flows it ended. */
  errors: { error: string; flows: number }[];
  wallMs: number;
  /** Complete flows per second of wall time. */
  flowsPerSecond: number;
  /** Latency of the complete flows (failed ones left out). */
  flow: Latency;
  /** Latency of each step, over the flows that passed it. */
  steps: Record<LoadStep, Latency>;
}

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Starts one flow per user, all at once, and waits for every one of them. */
export async function runLoad(target: LoadTarget, users: readonly SandboxUserSeed[]): Promise<LoadReport> {
  const started = performance.now();
  const results = await Promise.all(users.map((user) => runFlow(target, user)));
  const wallMs = performance.now() - started;
  const errors = new Map<string, number>();
  for (const { error } of results) {
    if (error === undefined) continue;
    const key = error.replace(uuid, "<id>");
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  const passed = results.filter((result) => result.error === undefined);
  const stepLatency = (step: LoadStep) =>
    latency(results.flatMap((result) => (result.steps[step] === undefined ? [] : [result.steps[step]])));
  return {
    flows: results.length,
    failed: results.length - passed.length,
    errors: [...errors].map(([error, flows]) => ({ error, flows })),
    wallMs,
    flowsPerSecond: passed.length / (wallMs / 1000),
    flow: latency(passed.map((result) => result.totalMs)),
    steps: Object.fromEntries(loadSteps.map((step) => [step, stepLatency(step)])) as Record<
      LoadStep,
      Latency
    >,
  };
}
