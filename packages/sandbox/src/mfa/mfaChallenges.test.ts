import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callApi, confirm, jwtPayload, other, passwordToken, postToken, uuid } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, mfaChallengeTtl: 1 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const create = (token: string) => callApi(sandbox, "POST", "/api/user/mfa/challenges", token);
const read = (token: string, id: string) => callApi(sandbox, "GET", `/api/user/mfa/challenges/${id}`, token);
const list = (token: string) => callApi(sandbox, "GET", "/api/user/mfa/challenges", token);
const fetchToken = (token: string, id: string) =>
  callApi(sandbox, "POST", `/api/user/mfa/challenges/${id}/token`, token);
const answer = (token: string, id: string, status: unknown) =>
  callApi(sandbox, "PATCH", `/api/user/mfa/challenges/${id}`, token, { status });
const phone = (id: string, action: "approve" | "deny") =>
  fetch(`${sandbox.url}/sandbox/mfa/challenges/${id}/${action}`, { method: "POST" });

async function expectApiError(response: Response, status: number, message?: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ message: message ?? expect.any(String), status });
}

/** A bound device's confirmed token, in a sign-in of its own (finding 11: not the challenge's session). */
async function bound() {
  return confirm(sandbox, (await passwordToken(sandbox)).access_token);
}

async function newChallenge(token: string): Promise<{ id: string; status: string; expiresAt: string }> {
  const response = await create(token);
  expect(response.status).toBe(201);
  return response.json();
}

describe("POST /api/user/mfa/challenges", () => {
  it("answers 201 { id, status: PENDING, expiresAt } with expiresAt mfaChallengeTtl (1 s) ahead", async () => {
    const { access_token } = await passwordToken(sandbox);
    const before = Date.now();
    const challenge = await newChallenge(access_token);
    expect(challenge).toEqual({ id: uuid, status: "PENDING", expiresAt: expect.any(String) });
    const expiresAt = Date.parse(challenge.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 1000 - 5);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(new Date(expiresAt).toISOString()).toBe(challenge.expiresAt);
  });

  it("needs a bearer token (401)", async () => {
    const response = await callApi(sandbox, "POST", "/api/user/mfa/challenges", undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });
});

describe("GET /api/user/mfa/challenges[/{id}]", () => {
  it("reads one challenge, and lists only the user's pending, unexpired ones", async () => {
    const { access_token } = await passwordToken(sandbox);
    const theirs = (await passwordToken(sandbox, other)).access_token;
    const first = await newChallenge(access_token);
    const second = await newChallenge(access_token);
    await newChallenge(theirs);
    expect(await (await read(access_token, first.id)).json()).toEqual(first);
    expect(await (await list(access_token)).json()).toEqual([first, second]);

    expect((await phone(first.id, "approve")).status).toBe(204);
    expect(await (await read(access_token, first.id)).json()).toEqual({ ...first, status: "VERIFIED" });
    expect(await (await list(access_token)).json()).toEqual([second]);

    await sleep(1100);
    expect(await (await list(access_token)).json()).toEqual([]);
    // An expired challenge still reads as it was: a poller judges expiry by expiresAt.
    expect(await (await read(access_token, second.id)).json()).toEqual(second);
  });

  it("answers another user's challenge and an unknown id with 404", async () => {
    const { access_token } = await passwordToken(sandbox);
    const theirs = (await passwordToken(sandbox, other)).access_token;
    const challenge = await newChallenge(access_token);
    await expectApiError(await read(theirs, challenge.id), 404, "MFA challenge not found.");
    await expectApiError(await read(access_token, "unknown"), 404, "MFA challenge not found.");
    await expectApiError(await fetchToken(theirs, challenge.id), 404);
  });
});

describe("POST /api/user/mfa/challenges/{id}/token", () => {
  it("answers a confirmed token and refresh token once VERIFIED, one time only", async () => {
    const { access_token } = await passwordToken(sandbox);
    const challenge = await newChallenge(access_token);
    await expectApiError(
      await fetchToken(access_token, challenge.id),
      409,
      "This MFA challenge has not been verified yet.",
    );
    expect((await phone(challenge.id, "approve")).status).toBe(204);

    const response = await fetchToken(access_token, challenge.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({ token: expect.any(String), refresh_token: expect.stringMatching(/^[\w-]{43}$/) });
    const before = jwtPayload(access_token);
    expect(jwtPayload(body.token)).toMatchObject({
      sub: before.sub,
      client_id: before.client_id,
      scope: before.scope,
      cnf: { kid: challenge.id },
    });
    // The confirmed refresh token renews confirmed access tokens.
    const renewed = await postToken(sandbox, {
      grant_type: "refresh_token",
      refresh_token: body.refresh_token,
      client_id: "demo-client",
      client_secret: "demo-secret",
    });
    expect(jwtPayload((await renewed.json()).access_token)).toMatchObject({ cnf: { kid: challenge.id } });

    await expectApiError(
      await fetchToken(access_token, challenge.id),
      409,
      "The token of this MFA challenge has already been issued.",
    );
  });

  it("gives no refresh token without the offline scope", async () => {
    const { access_token } = await passwordToken(sandbox, { scope: "accounts" });
    const challenge = await newChallenge(access_token);
    await phone(challenge.id, "approve");
    expect(await (await fetchToken(access_token, challenge.id)).json()).toEqual({
      token: expect.any(String),
    });
  });

  it("refuses a denied challenge with 403 and an expired one with 410", async () => {
    const { access_token } = await passwordToken(sandbox);
    const denied = await newChallenge(access_token);
    expect((await phone(denied.id, "deny")).status).toBe(204);
    expect(await (await read(access_token, denied.id)).json()).toMatchObject({ status: "DENIED" });
    await expectApiError(await fetchToken(access_token, denied.id), 403, "This MFA challenge was denied.");

    const expired = await newChallenge(access_token);
    await sleep(1100);
    await expectApiError(await fetchToken(access_token, expired.id), 410, "This MFA challenge has expired.");
    await expectApiError(await phone(expired.id, "approve"), 410, "This MFA challenge has expired.");
  });
});

describe("PATCH /api/user/mfa/challenges/{id}", () => {
  it("lets a confirmed token of the same user approve; the token is then confirmed by its device", async () => {
    const { access_token } = await passwordToken(sandbox);
    const approver = await bound();
    const challenge = await newChallenge(access_token);
    const response = await answer(approver.token, challenge.id, "VERIFIED");
    expect(response.status).toBe(204);
    const { token } = await (await fetchToken(access_token, challenge.id)).json();
    expect(jwtPayload(token)).toMatchObject({ cnf: { kid: approver.deviceId } });
    await expectApiError(await answer(approver.token, challenge.id, "DENIED"), 409);
  });

  it("lets a confirmed token deny", async () => {
    const { access_token } = await passwordToken(sandbox);
    const approver = await bound();
    const challenge = await newChallenge(access_token);
    expect((await answer(approver.token, challenge.id, "DENIED")).status).toBe(204);
    expect(await (await read(access_token, challenge.id)).json()).toMatchObject({ status: "DENIED" });
  });

  it("refuses a token without cnf with 403, and another user's confirmed token with 404", async () => {
    const { access_token } = await passwordToken(sandbox);
    const challenge = await newChallenge(access_token);
    await expectApiError(await answer(access_token, challenge.id, "VERIFIED"), 403);
    const theirs = await confirm(sandbox, (await passwordToken(sandbox, other)).access_token);
    await expectApiError(await answer(theirs.token, challenge.id, "VERIFIED"), 404);
    expect(await (await read(access_token, challenge.id)).json()).toMatchObject({ status: "PENDING" });
  });

  it("refuses a bad body with 400 and a non-JSON one with 415", async () => {
    const { access_token } = await passwordToken(sandbox);
    const approver = await bound();
    const challenge = await newChallenge(access_token);
    for (const status of ["PENDING", "verified", 1, undefined]) {
      await expectApiError(await answer(approver.token, challenge.id, status), 400);
    }
    const text = await fetch(`${sandbox.url}/api/user/mfa/challenges/${challenge.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${approver.token}` },
      body: "VERIFIED",
    });
    await expectApiError(text, 415);
  });

  it("refuses an expired challenge with 410", async () => {
    const { access_token } = await passwordToken(sandbox);
    const approver = await bound();
    const challenge = await newChallenge(access_token);
    await sleep(1100);
    await expectApiError(await answer(approver.token, challenge.id, "VERIFIED"), 410);
  });
});

describe("test support: /sandbox/mfa/challenges", () => {
  it("lists every challenge with its user; approve/deny answer 404 for unknown, 409 when answered", async () => {
    const { access_token } = await passwordToken(sandbox);
    const challenge = await newChallenge(access_token);
    expect(await (await fetch(`${sandbox.url}/sandbox/mfa/challenges`)).json()).toEqual([
      { ...challenge, userId: jwtPayload(access_token).sub },
    ]);
    await expectApiError(await phone("unknown", "approve"), 404);
    expect((await phone(challenge.id, "deny")).status).toBe(204);
    await expectApiError(await phone(challenge.id, "approve"), 409);
    await expectApiError(await phone(challenge.id, "deny"), 409);
  });

  it("forgets challenges on reset, and does not count in stats", async () => {
    const { access_token } = await passwordToken(sandbox);
    const challenge = await newChallenge(access_token);
    await phone(challenge.id, "approve");
    const stats = await sandbox.test.stats();
    expect(stats.requests).toEqual({ "POST /api/oauth/token": 1, "POST /api/user/mfa/challenges": 1 });
    sandbox.reset();
    await expectApiError(await read(access_token, challenge.id), 404);
    expect(await (await fetch(`${sandbox.url}/sandbox/mfa/challenges`)).json()).toEqual([]);
  });
});

describe("mfaChallengeTtl defaults to challengeTtl", () => {
  it("takes challengeTtl when mfaChallengeTtl is not given", async () => {
    const quick = await startSandbox({ port: 0, challengeTtl: 42 });
    const { access_token } = await passwordToken(quick);
    const response = await fetch(`${quick.url}/api/user/mfa/challenges`, {
      method: "POST",
      headers: { Authorization: `Bearer ${access_token}` },
    });
    const { expiresAt } = await response.json();
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(40_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(42_000);
    await quick.close();
  });
});
