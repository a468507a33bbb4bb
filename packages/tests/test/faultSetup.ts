import { randomUUID } from "node:crypto";
import { Client, type ClientOptions } from "@kontist-auth/client";
import { createDeviceSignature, createSoftwareSigner, toDeviceKeyHex } from "@kontist-auth/crypto";
import { sleep } from "@kontist-auth/protocol";
import type { SandboxUserSeed } from "@kontist-auth/sandbox";
import type { FaultProxy } from "./faultProxy";
import { confidentialClient, type Sandbox } from "./sandboxSupport";

// What the fault tests set up before they break a call: users of their own, clients through the proxy,
// device binding requests, devices, and the user's phone answering push challenges.

/** A seeded user of its own for each case, so concurrent cases never read each other's SMS or challenges. */
export type FaultUser = Required<Pick<SandboxUserSeed, "id" | "email" | "password" | "mobileNumber">>;

/** `count` users `fault-<n>@example.com`, for `startSandbox({ users })`. */
export function faultUsers(count: number): FaultUser[] {
  return Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    email: `fault-${n}@example.com`,
    password: `fault-password-${n}`,
    mobileNumber: `+49151${String(n).padStart(8, "0")}`,
  }));
}

/**
 * The client options of the fault tests: a short timeout (so a delay or a held answer costs a second, not
 * ten) and short backoffs; `Retry-After` honoured up to 5 s.
 */
export const faultClientOptions = {
  timeout: 1_000,
  retry: { limit: 2, baseDelay: 20, maxDelay: 100, maxRetryAfter: 5_000 },
} satisfies Partial<ClientOptions>;

/** A confidential client of `user` through `proxy`, logged in with the password grant (no fault armed). */
export async function loggedInThrough(
  proxy: Pick<FaultProxy, "url">,
  user: FaultUser,
  options: Partial<ClientOptions> = {},
) {
  const client = new Client({
    baseUrl: proxy.url,
    ...confidentialClient,
    scopes: ["users", "offline"],
    ...faultClientOptions,
    ...options,
  });
  await client.auth.tokenManager.fetchTokenFromCredentials({ username: user.email, password: user.password });
  return client;
}

export interface CallContext {
  sandbox: Sandbox;
  proxy: FaultProxy;
  user: FaultUser;
  /** Logged in as `user` through `proxy`. */
  client: Client;
}

/** A device binding request of the context's client, confirmed by the user. */
export async function confirmedRequest({ client, sandbox }: CallContext) {
  const request = await client.auth.device.requestBinding({ name: "fault test" });
  await sandbox.test.confirmBindingRequest(request.id);
  return request;
}

/** A device registered after a confirmed binding request, with the signature of its SMS OTP (not yet verified). */
export async function createdDevice(context: CallContext) {
  await confirmedRequest(context);
  const signer = createSoftwareSigner();
  const key = toDeviceKeyHex(await signer.getPublicKey());
  const created = await context.client.auth.device.createDevice({ name: "fault test", key });
  const otp = await context.sandbox.test.latestOtp(context.user.mobileNumber);
  return { ...created, signer, signature: await createDeviceSignature(signer, otp) };
}

/** A device registered and verified: bound, its key in `signer`. */
export async function boundDevice(context: CallContext) {
  const { deviceId, challengeId, signer, signature } = await createdDevice(context);
  await context.client.auth.device.verifyDevice(deviceId, { challengeId, signature });
  return { deviceId, signer };
}

/** Approves the first push challenge of `user` as their phone, until `done` settles. */
export async function approveAsPhone(sandbox: Sandbox, user: FaultUser, done: Promise<unknown>) {
  let settled = false;
  void done.finally(() => {
    settled = true;
  });
  while (!settled) {
    const pending = (await sandbox.test.mfaChallenges()).find(
      (challenge) => challenge.userId === user.id && challenge.status === "PENDING",
    );
    if (pending !== undefined) {
      await sandbox.test.approveMfaChallenge(pending.id);
      return;
    }
    await sleep(25);
  }
}
