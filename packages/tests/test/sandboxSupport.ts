import { type BindDeviceOptions, Client, type ClientOptions } from "@kontist-auth/client";
import type { DeviceBindingRequest } from "@kontist-auth/protocol";
import { createSandboxTestClient, type RunningSandbox, startSandbox } from "@kontist-auth/sandbox";

// What the cross-package tests do with a sandbox besides its test client (`sandbox.test`: outboxes, stats,
// faults, the phone's answers): seeded identities, clients of them, the user's part of a device binding,
// and the browser's part of the authorization-code flow (the login form), done over plain HTTP.

export type Sandbox = RunningSandbox;
/** Where a sandbox listens; the client helpers here need only that. */
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

/**
 * The user's part of `client.auth.device.bind()`, played against the sandbox: confirms the binding request
 * from its e-mail as soon as the app announces it, and reads the OTP from the SMS outbox.
 */
export function asUser(sandbox: Pick<Sandbox, "test">): Pick<BindDeviceOptions, "onBindingRequest" | "otp"> {
  return {
    onBindingRequest: (request: DeviceBindingRequest) => sandbox.test.confirmBindingRequest(request.id),
    otp: () => sandbox.test.latestOtp(),
  };
}

/** Creates a device binding request for `client` and confirms it as the user, so a device may be created. */
export async function confirmedBindingRequest(sandbox: Pick<Sandbox, "test">, client: Client, name = "e2e") {
  const request = await client.auth.device.requestBinding({ name });
  await sandbox.test.confirmBindingRequest(request.id);
  return request;
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
    const phone = createSandboxTestClient(new URL(authUri).origin);
    await (mfa === "approve" ? phone.approveMfaChallenge(challengeId) : phone.denyMfaChallenge(challengeId));
    response = await postLoginForm(authUri, fields);
  }
  const location = response.headers.get("location");
  if (response.status !== 302 || location === null) {
    throw new Error(`the login form answered ${response.status} without a redirect`);
  }
  return location;
}
