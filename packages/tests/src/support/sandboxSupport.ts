import { type BindDeviceOptions, Client, type ClientOptions } from "@kontist-auth/client";
import {
  type DeviceBindingRequest,
  parseResponse,
  type SandboxFaultRequest,
  sandboxEmailListSchema,
  sandboxPaths,
  sandboxSmsListSchema,
  sandboxStatsSchema,
} from "@kontist-auth/protocol";
import { startSandbox } from "@kontist-auth/sandbox";

// What the cross-package tests do with a sandbox: seeded identities, the SMS and e-mail outboxes, the user's
// clicks (confirming a device binding request), stats, faults, and the browser's part of the
// authorization-code flow (the login form), done over plain HTTP.

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
/** Where a sandbox listens; every helper here needs only that. */
export type SandboxAt = Pick<Sandbox, "url">;
export { startSandbox };

export const demoUser = { username: "demo@example.com", password: "demo-password" };
export const otherUser = { username: "other@example.com", password: "other-password" };
export const confidentialClient = { clientId: "demo-client", clientSecret: "demo-secret" };

/** A client of the confidential seeded client, asking for `users offline` unless told otherwise. */
export function confidentialClientOf(sandbox: SandboxAt, options: Partial<ClientOptions> = {}): Client {
  return new Client({
    baseUrl: sandbox.url,
    ...confidentialClient,
    scopes: ["users", "offline"],
    ...options,
  });
}

/** A confidential client logged in with the password grant. */
export async function loggedIn(sandbox: SandboxAt, user = demoUser, options: Partial<ClientOptions> = {}) {
  const client = confidentialClientOf(sandbox, options);
  await client.auth.tokenManager.fetchTokenFromCredentials(user);
  return client;
}

/** Every SMS the sandbox sent, oldest first. */
export async function outbox(sandbox: SandboxAt) {
  const response = await fetch(new URL(sandboxPaths.sms, sandbox.url));
  return parseResponse(sandboxSmsListSchema, await response.json(), "GET /sandbox/sms response");
}

/** The OTP of the newest SMS, as the user reads it from their phone. */
export async function latestOtp(sandbox: SandboxAt): Promise<string> {
  const sms = (await outbox(sandbox)).at(-1);
  if (sms === undefined) throw new Error("no SMS was sent");
  return sms.otp;
}

/** Every e-mail the sandbox sent (device binding confirmations), oldest first. */
export async function emails(sandbox: SandboxAt) {
  const response = await fetch(new URL(sandboxPaths.emails, sandbox.url));
  return parseResponse(sandboxEmailListSchema, await response.json(), "GET /sandbox/emails response");
}

/** Answers a device binding request as the user does with the link in its e-mail. */
export async function answerBindingRequestAsUser(
  sandbox: SandboxAt,
  requestId: string,
  answer: "confirm" | "reject" = "confirm",
): Promise<void> {
  const path =
    answer === "confirm"
      ? sandboxPaths.confirmDeviceBindingRequest(requestId)
      : sandboxPaths.rejectDeviceBindingRequest(requestId);
  const response = await fetch(new URL(path, sandbox.url), { method: "POST" });
  if (response.status !== 204) throw new Error(`POST ${path} answered ${response.status}`);
}

/**
 * The user's part of `client.auth.device.bind()`, played against the sandbox: confirms the binding request
 * from its e-mail as soon as the app announces it, and reads the OTP from the SMS outbox.
 */
export function asUser(sandbox: SandboxAt): Pick<BindDeviceOptions, "onBindingRequest" | "otp"> {
  return {
    onBindingRequest: (request: DeviceBindingRequest) => answerBindingRequestAsUser(sandbox, request.id),
    otp: () => latestOtp(sandbox),
  };
}

/** Creates a device binding request for `client` and confirms it as the user, so a device may be created. */
export async function confirmedBindingRequest(sandbox: SandboxAt, client: Client, name = "e2e") {
  const request = await client.auth.device.requestBinding({ name });
  await answerBindingRequestAsUser(sandbox, request.id);
  return request;
}

/** Request and grant counters of the sandbox. */
export async function stats(sandbox: SandboxAt) {
  const response = await fetch(new URL(sandboxPaths.stats, sandbox.url));
  return parseResponse(sandboxStatsSchema, await response.json(), "GET /sandbox/stats response");
}

/** How many token requests of `grant` the sandbox has seen. */
export async function grantCount(sandbox: SandboxAt, grant: string): Promise<number> {
  return (await stats(sandbox)).grants[grant] ?? 0;
}

/** Arms a fault: the next `times` requests to `route` fail as `fault` says. */
export async function injectFault(sandbox: SandboxAt, fault: SandboxFaultRequest): Promise<void> {
  const response = await fetch(new URL(sandboxPaths.faults, sandbox.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`POST /sandbox/faults answered ${response.status}`);
}

const htmlEntities: Record<string, string> = {
  "&amp;": "&",
  "&quot;": '"',
  "&#39;": "'",
  "&lt;": "<",
  "&gt;": ">",
};
const unescapeHtml = (text: string) =>
  text.replace(/&(?:amp|quot|#39|lt|gt);/g, (entity) => htmlEntities[entity] ?? entity);

function postLoginForm(authUri: string, fields: Record<string, string>) {
  return fetch(new URL("/api/oauth/authorize", authUri), {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams(fields),
  });
}

/**
 * Plays the browser's part of the authorization-code flow: opens `authUri`, submits the sandbox's login
 * form as `user` with "Allow" (or "Deny"); when the login includes MFA (no `skip_mfa=true`), the user
 * answers the push notification on their phone (`mfa`) and the page continues. Returns the callback URL
 * the browser is redirected to.
 */
export async function authorizeAs(
  authUri: string,
  user = demoUser,
  decision: "allow" | "deny" = "allow",
  mfa: "approve" | "deny" = "approve",
) {
  const query = Object.fromEntries(new URL(authUri).searchParams);
  let response = await postLoginForm(authUri, { ...query, ...user, decision });
  if (response.status === 200) {
    // The waiting page of the login's MFA: its push challenge and the form that continues the login.
    const page = await response.text();
    const challengeId = /data-mfa-challenge-id="([^"]+)"/.exec(page)?.[1];
    if (challengeId === undefined) throw new Error("the login form answered 200 without an MFA challenge");
    const fields: Record<string, string> = {};
    for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
      fields[unescapeHtml(name ?? "")] = unescapeHtml(value ?? "");
    }
    const path =
      mfa === "approve"
        ? sandboxPaths.approveMfaChallenge(challengeId)
        : sandboxPaths.denyMfaChallenge(challengeId);
    const answered = await fetch(new URL(path, authUri), { method: "POST" });
    if (answered.status !== 204) throw new Error(`POST ${path} answered ${answered.status}`);
    response = await postLoginForm(authUri, fields);
  }
  const location = response.headers.get("location");
  if (response.status !== 302 || location === null) {
    throw new Error(`the login form answered ${response.status} without a redirect`);
  }
  return location;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
