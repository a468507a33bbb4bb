import { runInNewContext } from "node:vm";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  authorizeWithLogin,
  authorizeWithMfa,
  continueMfaLogin,
  exchangeCode,
  getAuthorize,
  loopbackRedirectUri,
  pkcePair,
  redirectParams,
  sessionCookie,
  startMfaLogin,
} from "../../test/authorization";
import { callApi, confirm, demo, jwtPayload, passwordToken, postToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

const confidential = { client_id: demo.clientId, client_secret: demo.clientSecret };
const denial = { state: "state-123", error: '{"type":"AccessDeniedError"}' };

/** Exchanges a code of demo-client; returns the token response. */
async function tokenFor(sandbox: RunningSandbox, code: string) {
  const response = await exchangeCode(sandbox, code, confidential);
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token?: string; expires_in: number };
}

const refresh = (sandbox: RunningSandbox, refreshToken: string) =>
  postToken(sandbox, { grant_type: "refresh_token", refresh_token: refreshToken, ...confidential });

describe("the login's MFA step (no skip_mfa)", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it("answers a right password with the waiting page: a pending push challenge, no code, no cookie, no password", async () => {
    const login = await startMfaLogin(sandbox, { scope: "accounts offline" });
    expect(login.page).toContain("Approve on phone (sandbox)");
    expect(login.page).toContain('formaction="/sandbox/authorize/approve"');
    expect(login.page).not.toContain(demo.password);
    expect(login.fields).toMatchObject({
      client_id: demo.clientId,
      redirect_uri: loopbackRedirectUri,
      state: "state-123",
      scope: "accounts offline",
      mfa_challenge_id: login.challengeId,
    });
    expect(login.fields).not.toHaveProperty("password");
    // The same kind of challenge POST /api/user/mfa/challenges makes: the bound phone lists it.
    const { access_token } = await passwordToken(sandbox);
    const pending = await (await callApi(sandbox, "GET", "/api/user/mfa/challenges", access_token)).json();
    expect(pending).toEqual([{ id: login.challengeId, status: "PENDING", expiresAt: expect.any(String) }]);
  });

  it("approved via /sandbox/mfa/challenges/{id}/approve, continues to a code for a confirmed token and refresh token", async () => {
    const login = await startMfaLogin(sandbox, { scope: "accounts offline" });
    await sandbox.test.approveMfaChallenge(login.challengeId);
    const response = await continueMfaLogin(sandbox, login);
    const answer = redirectParams(response);
    expect(answer).toEqual({ code: expect.any(String), state: "state-123" });
    sessionCookie(response);

    const token = await tokenFor(sandbox, answer.code ?? "");
    // Approved without a device: the challenge id is the confirmation, as for POST …/{id}/token.
    expect(jwtPayload(token.access_token)).toMatchObject({
      scope: "accounts offline",
      cnf: { kid: login.challengeId },
    });
    expect(token.refresh_token).toEqual(expect.any(String));
    const renewed = await refresh(sandbox, token.refresh_token ?? "");
    expect(renewed.status).toBe(200);
    expect(jwtPayload((await renewed.json()).access_token)).toMatchObject({
      cnf: { kid: login.challengeId },
    });
  });

  it("hands the challenge's one confirmed token to the login: POST …/{id}/token is refused afterwards", async () => {
    const { challengeId } = await authorizeWithMfa(sandbox);
    const { access_token } = await passwordToken(sandbox);
    const taken = await callApi(
      sandbox,
      "POST",
      `/api/user/mfa/challenges/${challengeId}/token`,
      access_token,
    );
    // Finding 12: the login's challenge goes to that login only, whoever asks and whenever.
    expect(taken.status).toBe(403);
  });

  it("approved from a bound device with PATCH /api/user/mfa/challenges/{id}, confirms with that device", async () => {
    const { access_token } = await passwordToken(sandbox);
    const device = await confirm(sandbox, access_token);
    const login = await startMfaLogin(sandbox);
    const patched = await callApi(
      sandbox,
      "PATCH",
      `/api/user/mfa/challenges/${login.challengeId}`,
      device.token,
      {
        status: "VERIFIED",
      },
    );
    expect(patched.status).toBe(204);
    const token = await tokenFor(sandbox, redirectParams(await continueMfaLogin(sandbox, login)).code ?? "");
    expect(jwtPayload(token.access_token)).toMatchObject({ cnf: { kid: device.deviceId } });
  });

  it("finding 11: once the approving device is deleted, neither its code nor its login session confirms anything", async () => {
    const { access_token } = await passwordToken(sandbox);
    const device = await confirm(sandbox, access_token);
    const login = await startMfaLogin(sandbox, { scope: "accounts offline" });
    const patch = (status: string) =>
      callApi(sandbox, "PATCH", `/api/user/mfa/challenges/${login.challengeId}`, device.token, { status });
    expect((await patch("VERIFIED")).status).toBe(204);
    const continued = await continueMfaLogin(sandbox, login);
    const { code } = redirectParams(continued);
    const cookie = sessionCookie(continued);
    const deleted = await callApi(sandbox, "POST", "/api/graphql", access_token, {
      query: `mutation { deleteBoundDevice(deviceId: "${device.deviceId}") }`,
    });
    expect(await deleted.json()).toEqual({ data: { deleteBoundDevice: true } });

    // The code issued before the deletion: no confirmed token, no confirmed refresh token.
    const exchanged = await exchangeCode(sandbox, code ?? "", confidential);
    expect(exchanged.status).toBe(400);
    expect(await exchanged.json()).toMatchObject({ error: "invalid_grant" });
    // The login session the device confirmed has ended: prompt=none has nothing to answer from.
    expect(redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: cookie }))).toMatchObject(
      {
        error: "login_required",
      },
    );
  });

  it("continuing while the challenge is pending shows the waiting page again (200), then goes on once approved", async () => {
    const login = await startMfaLogin(sandbox);
    const early = await continueMfaLogin(sandbox, login);
    expect(early.status).toBe(200);
    expect(early.headers.get("set-cookie")).toBeNull();
    const page = await early.text();
    expect(page).toContain(`data-mfa-challenge-id="${login.challengeId}"`);
    expect(page).toContain("Not approved yet");
    await sandbox.test.approveMfaChallenge(login.challengeId);
    expect(redirectParams(await continueMfaLogin(sandbox, login)).code).toEqual(expect.any(String));
  });

  it("answers Kontist's denial when the phone denies, and forgets the pending login", async () => {
    const login = await startMfaLogin(sandbox);
    await sandbox.test.denyMfaChallenge(login.challengeId);
    const response = await continueMfaLogin(sandbox, login);
    expect(redirectParams(response)).toEqual(denial);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect((await continueMfaLogin(sandbox, login)).status).toBe(400);
  });

  it("Cancel on the waiting page answers the denial and denies the challenge", async () => {
    const login = await startMfaLogin(sandbox);
    expect(redirectParams(await continueMfaLogin(sandbox, login, { decision: "deny" }))).toEqual(denial);
    const approve = await fetch(`${sandbox.url}/sandbox/mfa/challenges/${login.challengeId}/approve`, {
      method: "POST",
    });
    expect(approve.status).toBe(409);
  });

  it("the Approve on phone (sandbox) button approves and continues in one post", async () => {
    const login = await startMfaLogin(sandbox);
    const response = await continueMfaLogin(sandbox, login, { path: "/sandbox/authorize/approve" });
    const answer = redirectParams(response);
    expect(answer.code).toEqual(expect.any(String));
    sessionCookie(response);
    const token = await tokenFor(sandbox, answer.code ?? "");
    expect(jwtPayload(token.access_token)).toMatchObject({ cnf: { kid: login.challengeId } });
  });

  it("the sandbox button after a denial answers the denial", async () => {
    const login = await startMfaLogin(sandbox);
    await sandbox.test.denyMfaChallenge(login.challengeId);
    expect(
      redirectParams(await continueMfaLogin(sandbox, login, { path: "/sandbox/authorize/approve" })),
    ).toEqual(denial);
  });

  it("refuses an unknown pending login, or one continued with other request parameters, with 400", async () => {
    const login = await startMfaLogin(sandbox, { scope: "accounts" });
    await sandbox.test.approveMfaChallenge(login.challengeId);
    const forged = await continueMfaLogin(sandbox, {
      ...login,
      fields: { ...login.fields, pending_login: "forged" },
    });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toEqual({ message: expect.any(String), status: 400 });
    const widened = await continueMfaLogin(sandbox, {
      ...login,
      fields: { ...login.fields, scope: "accounts offline" },
    });
    expect(widened.status).toBe(400);
    const page = await continueMfaLogin(sandbox, login, {
      path: "/sandbox/authorize/approve",
      headers: { Accept: "text/html" },
    });
    expect(redirectParams(page).code).toEqual(expect.any(String));
    // Spent: the reference does not work twice.
    expect((await continueMfaLogin(sandbox, login)).status).toBe(400);
  });

  it("a session that passed MFA answers prompt=none with codes for confirmed tokens", async () => {
    const { cookie, challengeId } = await authorizeWithMfa(sandbox);
    const renewals: Record<string, string>[] = [{ prompt: "none" }, { prompt: "none", skip_mfa: "true" }, {}];
    for (const params of renewals) {
      const code = redirectParams(await getAuthorize(sandbox, params, { Cookie: cookie })).code ?? "";
      const token = await tokenFor(sandbox, code);
      expect(jwtPayload(token.access_token), JSON.stringify(params)).toMatchObject({
        cnf: { kid: challengeId },
      });
    }
  });

  it("a public PKCE client renewing with prompt=none in a web message gets confirmed tokens too", async () => {
    const { verifier, challenge } = pkcePair();
    const pkce = { client_id: "demo-public", code_challenge: challenge, code_challenge_method: "S256" };
    const { cookie, challengeId } = await authorizeWithMfa(sandbox, pkce);
    const response = await getAuthorize(
      sandbox,
      { ...pkce, prompt: "none", response_mode: "web_message" },
      { Cookie: cookie },
    );
    const script = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(await response.text())?.[1] ?? "";
    const posted: { response?: { code?: string } }[] = [];
    runInNewContext(script, {
      window: { parent: { postMessage: (message: never) => posted.push(message) }, opener: null },
    });
    const code = posted[0]?.response?.code ?? "";
    const exchanged = await exchangeCode(sandbox, code, {
      client_id: "demo-public",
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    expect(jwtPayload((await exchanged.json()).access_token)).toMatchObject({ cnf: { kid: challengeId } });
  });

  it("forgets pending logins on reset", async () => {
    const login = await startMfaLogin(sandbox);
    sandbox.reset();
    expect((await continueMfaLogin(sandbox, login)).status).toBe(400);
  });

  it("serves the waiting page uncached and unframeable, like the login page", async () => {
    const response = await fetch(`${sandbox.url}/api/oauth/authorize`, {
      method: "POST",
      body: new URLSearchParams({
        response_type: "code",
        client_id: demo.clientId,
        redirect_uri: loopbackRedirectUri,
        username: demo.email,
        password: demo.password,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("answers a web_message login's continuation with a web message", async () => {
    const login = await startMfaLogin(sandbox, { response_mode: "web_message" });
    await sandbox.test.approveMfaChallenge(login.challengeId);
    const response = await continueMfaLogin(sandbox, login);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"authorization_response"');
  });
});

describe("skip_mfa", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it("skip_mfa=true answers a code at once, for an unconfirmed token, and so does prompt=none from that session", async () => {
    const { code, cookie } = await authorizeWithLogin(sandbox, { skip_mfa: "true" });
    expect(jwtPayload((await tokenFor(sandbox, code)).access_token)).not.toHaveProperty("cnf");
    const renewed =
      redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: cookie })).code ?? "";
    expect(jwtPayload((await tokenFor(sandbox, renewed)).access_token)).not.toHaveProperty("cnf");
  });

  it("only the string true skips: false, TRUE or 1 keep the MFA step", async () => {
    for (const value of ["false", "TRUE", "1", ""]) {
      await startMfaLogin(sandbox, { skip_mfa: value });
    }
  });

  it("the password grant stays unconfirmed (MFA comes later)", async () => {
    const { access_token } = await passwordToken(sandbox);
    expect(jwtPayload(access_token)).not.toHaveProperty("cnf");
  });
});

describe("the login's MFA step with a short mfaChallengeTtl", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, mfaChallengeTtl: 0.3 });
  });
  afterAll(() => sandbox.close());

  it("answers the denial once the challenge has expired unanswered, by Continue or by the sandbox button", async () => {
    const first = await startMfaLogin(sandbox);
    const second = await startMfaLogin(sandbox);
    await sleep(400);
    expect(redirectParams(await continueMfaLogin(sandbox, first))).toEqual(denial);
    expect(
      redirectParams(await continueMfaLogin(sandbox, second, { path: "/sandbox/authorize/approve" })),
    ).toEqual(denial);
  });
});
