import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, isKontistAuthError, OAuth2Error } from "@kontist-auth/client";
import { createPkceVerifier, createState } from "@kontist-auth/client/oauth";
import { sleep } from "@kontist-auth/protocol";
import { fileStore } from "@kontist-auth/token-store/file";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authorizeAs,
  confidentialClient,
  confidentialClientOf,
  demoUser,
  otherUser,
  type Sandbox,
  startSandbox,
} from "../test/sandboxSupport";

// The client's findings of the security review (issue 9, findings 1–10) where they need a real server:
// the client against the sandbox over loopback HTTP, and processes sharing a real fileStore (played by
// clients in this process, each with its own fileStore instance on the same file).

let sandbox: Sandbox;
let directory: string;
const redirectUri = "http://127.0.0.1:5173/callback";
const defaultKey = `kontist-auth:${confidentialClient.clientId}`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  directory = await mkdtemp(join(tmpdir(), "security-client-"));
});
afterAll(async () => {
  await sandbox.close();
  await rm(directory, { recursive: true, force: true });
});

let files = 0;
/** A new token file, shared by every client given `store(path)`. */
const newTokenFile = () => join(directory, `tokens-${++files}.json`);

/** Approves, as the user's phone, the pending push challenge that is not in `known`. */
async function approveNewChallenge(at: Sandbox, known: ReadonlySet<string>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const all = await at.test.mfaChallenges();
    const fresh = all.find((challenge) => challenge.status === "PENDING" && !known.has(challenge.id));
    if (fresh !== undefined) {
      await at.test.approveMfaChallenge(fresh.id);
      return;
    }
    await sleep(20);
  }
  throw new Error("no new push challenge appeared");
}

async function knownChallenges(at: Sandbox): Promise<Set<string>> {
  return new Set((await at.test.mfaChallenges()).map((challenge) => challenge.id));
}

describe("finding 1: the authorization code flow needs state; PKCE for confidential clients", () => {
  it("finding 1: a planted callback with the attacker's code does not log the victim into the attacker's account", async () => {
    // The attacker logs in to the same app as themselves and keeps the callback instead of following it.
    const attacker = confidentialClientOf(sandbox, { redirectUri, state: createState() });
    const theirs = new URL(await authorizeAs(await attacker.auth.tokenManager.getAuthUri(), otherUser));
    theirs.searchParams.delete("state");
    const before = await sandbox.test.grantCount("authorization_code");

    // The victim's app forgot state: it can no longer run the flow at all, so the planted code is not sent.
    const victim = confidentialClientOf(sandbox, { redirectUri });
    await expect(victim.auth.tokenManager.getAuthUri()).rejects.toThrow(TypeError);
    const error = await victim.auth.tokenManager.fetchToken(theirs.href).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/state/);
    expect(victim.auth.tokenManager.token).toBeNull();
    expect(await sandbox.test.grantCount("authorization_code")).toBe(before);
  });

  it("finding 1: a confidential client with PKCE logs in, and its code is worthless without the verifier", async () => {
    const state = createState();
    const client = confidentialClientOf(sandbox, { redirectUri, state, verifier: createPkceVerifier() });
    const authUri = await client.auth.tokenManager.getAuthUri();
    expect(new URL(authUri).searchParams.get("code_challenge_method")).toBe("S256");
    const callback = await authorizeAs(authUri);

    // Someone who got hold of the callback and even the state, but not the verifier, with the secret:
    const thief = confidentialClientOf(sandbox, { redirectUri, state, verifier: createPkceVerifier() });
    const stolen = await thief.auth.tokenManager.fetchToken(callback).catch((e: unknown) => e);
    expect(stolen).toBeInstanceOf(OAuth2Error);
    expect(stolen).toMatchObject({ error: "invalid_grant" });

    const fresh = await authorizeAs(await client.auth.tokenManager.getAuthUri());
    const token = await client.auth.tokenManager.fetchToken(fresh);
    expect(token.claims?.sub).toBeDefined();
    expect(token.refreshToken).toBeDefined();
  });
});

describe("finding 2: a device confirmation survives a concurrent renewal in another process", () => {
  it("finding 2: the confirmed token stays in the shared fileStore, and the renewing process adopts it", async () => {
    const path = newTokenFile();
    const renewing = confidentialClientOf(sandbox, { tokenStore: fileStore(path) });
    const confirming = confidentialClientOf(sandbox, { tokenStore: fileStore(path) });
    await confirming.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    await renewing.auth.tokenManager.loadToken();
    const known = await knownChallenges(sandbox);

    // The renewal's token request takes 1.5 s; meanwhile the other process passes push MFA.
    await sandbox.test.injectFault({
      route: "POST /api/oauth/token",
      times: 1,
      fault: "delay",
      delayMs: 1_500,
    });
    const renewal = renewing.auth.tokenManager.refresh();
    await sleep(200);
    const [confirmed] = await Promise.all([
      confirming.auth.push.getConfirmedToken({ pollInterval: 50 }),
      approveNewChallenge(sandbox, known),
    ]);
    const renewed = await renewal;
    expect(renewed.confirmed).toBe(false);
    expect(confirmed.confirmed).toBe(true);

    // A third process starting now loads the confirmed token; the renewing one adopts it.
    const starting = confidentialClientOf(sandbox, { tokenStore: fileStore(path) });
    expect((await starting.auth.tokenManager.loadToken())?.accessToken).toBe(confirmed.accessToken);
    const adopted = await renewing.auth.tokenManager.refresh();
    expect(adopted.accessToken).toBe(confirmed.accessToken);
    expect(adopted.confirmed).toBe(true);
  });
});

describe("finding 4: a logout in one process", () => {
  it("finding 4: is not undone by another process's renewal, before or during it", async () => {
    const path = newTokenFile();
    const staying = confidentialClientOf(sandbox, { tokenStore: fileStore(path) });
    const leaving = confidentialClientOf(sandbox, { tokenStore: fileStore(path) });
    await leaving.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    await staying.auth.tokenManager.loadToken();

    // During: the other process's renewal is in flight when the user logs out here.
    await sandbox.test.injectFault({
      route: "POST /api/oauth/token",
      times: 1,
      fault: "delay",
      delayMs: 1_000,
    });
    const renewal = staying.auth.tokenManager.refresh();
    await sleep(200);
    await leaving.auth.tokenManager.logout();
    await renewal;
    expect(await fileStore(path).get(defaultKey)).toBeUndefined();

    // After: its next renewal finds the key deleted, forgets its token and writes nothing back.
    const before = await sandbox.test.grantCount("refresh_token");
    const error = await staying.auth.tokenManager.refresh().catch((e: unknown) => e);
    expect(isKontistAuthError(error, "TOKEN_RENEWAL_FAILED")).toBe(true);
    expect(staying.auth.tokenManager.token).toBeNull();
    expect(await fileStore(path).get(defaultKey)).toBeUndefined();
    expect(await sandbox.test.grantCount("refresh_token")).toBe(before);
    await expect(staying.auth.device.list()).rejects.toMatchObject({ code: "NO_TOKEN" });
  });
});

describe("finding 5: redirects are not followed", () => {
  it("finding 5: a 307 or 308 to the real API sends neither the password nor a token there", async () => {
    let status = 307;
    const redirector = createServer((request, response) => {
      status = status === 307 ? 308 : 307;
      response.writeHead(status, { location: new URL(request.url ?? "/", sandbox.url).href }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = redirector.address() as AddressInfo;
      const client = confidentialClientOf(sandbox, { baseUrl: `http://127.0.0.1:${port}` });
      const before = (await sandbox.test.stats()).requests;

      const login = await client.auth.tokenManager
        .fetchTokenFromCredentials(demoUser)
        .catch((e: unknown) => e);
      client.auth.tokenManager.setToken("access-token-value", "refresh-token-value");
      const renewal = await client.auth.tokenManager.refresh().catch((e: unknown) => e);
      const query = await client.graphQL.rawQuery("{ viewer { id } }").catch((e: unknown) => e);
      const push = await client.auth.push.list().catch((e: unknown) => e);

      for (const error of [login, renewal, query, push]) {
        expect(isKontistAuthError(error, "UNEXPECTED_REDIRECT")).toBe(true);
      }
      const after = (await sandbox.test.stats()).requests;
      for (const route of ["POST /api/oauth/token", "POST /api/graphql", "GET /api/user/mfa/challenges"]) {
        expect(after[route] ?? 0, route).toBe(before[route] ?? 0);
      }
    } finally {
      await new Promise((resolve) => redirector.close(resolve));
    }
  });
});

describe("finding 6: dot-segment ids", () => {
  it("finding 6: push.answer('..') and device calls with '.' are refused before anything reaches the API", async () => {
    const client = confidentialClientOf(sandbox);
    await client.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const before = (await sandbox.test.stats()).requests;
    await expect(client.auth.push.answer("..", "DENIED")).rejects.toThrow(TypeError);
    await expect(client.auth.device.createDeviceChallenge(".")).rejects.toThrow(TypeError);
    await expect(client.auth.push.answer("%2e%2e", "VERIFIED")).rejects.toThrow(TypeError);
    expect((await sandbox.test.stats()).requests).toEqual(before);
  });
});

describe("finding 7: a token living shorter than refreshLeeway", () => {
  it("finding 7: is not renewed before every call (expires_in 9 s, leeway 30 s)", async () => {
    const shortLived = await startSandbox({ port: 0, accessTokenTtl: 10 });
    try {
      const client = confidentialClientOf(shortLived);
      await client.auth.tokenManager.fetchTokenFromCredentials(demoUser);
      for (let call = 0; call < 5; call++) await client.graphQL.rawQuery("{ viewer { id } }");
      expect(await shortLived.test.grantCount("refresh_token")).toBe(0);
    } finally {
      await shortLived.close();
    }
  });
});

describe("finding 10: an http: baseUrl that is not loopback", () => {
  it("finding 10: is refused unless allowInsecureHttp: true; loopback http stays allowed", () => {
    const { url } = sandbox;
    const remote = url.replace("127.0.0.1", "sandbox.test");
    expect(() => new Client({ ...confidentialClient, baseUrl: remote })).toThrow(/allowInsecureHttp/);
    expect(
      () => new Client({ ...confidentialClient, baseUrl: remote, allowInsecureHttp: true }),
    ).not.toThrow();
    expect(() => new Client({ ...confidentialClient, baseUrl: url })).not.toThrow();
  });
});
