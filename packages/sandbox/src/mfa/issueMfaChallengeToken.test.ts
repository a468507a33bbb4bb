import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMfaLogin } from "../../test/authorization";
import { callApi, demo, jwtPayload, passwordToken, postToken, uuid } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";
import { defaultSeeds } from "../seeds/defaultSeeds";

// Finding 12 of issue 9: a push challenge's confirmed token goes only to the client and the sign-in
// session (`sid`) that started the challenge.

/** A second confirmed client of the same users, allowed every scope. */
const otherClient = {
  id: "other-client",
  secret: "other-secret",
  grants: ["password", "refresh_token"],
  scopes: ["accounts", "users", "subscriptions", "transfers", "offline"],
} as const;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clients: [...defaultSeeds.clients, otherClient] });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function approvedChallenge(accessToken: string): Promise<string> {
  const response = await callApi(sandbox, "POST", "/api/user/mfa/challenges", accessToken);
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  await sandbox.test.approveMfaChallenge(id);
  return id;
}

const takeToken = (accessToken: string, challengeId: string) =>
  callApi(sandbox, "POST", `/api/user/mfa/challenges/${challengeId}/token`, accessToken);

async function expectRefused(response: Response) {
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({ message: expect.any(String), status: 403 });
}

describe("POST /api/user/mfa/challenges/{id}/token: who may take the token", () => {
  it("finding 12: another client of the same user cannot take it (403), and the owner still can", async () => {
    const owner = await passwordToken(sandbox, { scope: "users" });
    const challengeId = await approvedChallenge(owner.access_token);
    const response = await postToken(sandbox, {
      grant_type: "password",
      username: demo.email,
      password: demo.password,
      client_id: otherClient.id,
      client_secret: otherClient.secret,
    });
    const broader = (await response.json()) as { access_token: string };
    await expectRefused(await takeToken(broader.access_token, challengeId));
    const taken = await takeToken(owner.access_token, challengeId);
    expect(taken.status).toBe(200);
    expect(jwtPayload(((await taken.json()) as { token: string }).token)).toMatchObject({
      scope: "users",
      client_id: demo.clientId,
    });
  });

  it("finding 12: another sign-in of the same client cannot take it (403)", async () => {
    const owner = await passwordToken(sandbox);
    const challengeId = await approvedChallenge(owner.access_token);
    const stranger = await passwordToken(sandbox);
    await expectRefused(await takeToken(stranger.access_token, challengeId));
    expect((await takeToken(owner.access_token, challengeId)).status).toBe(200);
  });

  it("finding 12: the sign-in that started it may take it with a renewed access token", async () => {
    const owner = await passwordToken(sandbox);
    expect(jwtPayload(owner.access_token).sid).toEqual(uuid);
    const challengeId = await approvedChallenge(owner.access_token);
    const renewal = await postToken(sandbox, {
      grant_type: "refresh_token",
      refresh_token: owner.refresh_token ?? "",
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    });
    const renewed = (await renewal.json()) as { access_token: string };
    expect(jwtPayload(renewed.access_token).sid).toBe(jwtPayload(owner.access_token).sid);
    const taken = await takeToken(renewed.access_token, challengeId);
    expect(taken.status).toBe(200);
    const { token, refresh_token } = (await taken.json()) as { token: string; refresh_token: string };
    // The confirmed token and its refresh token stay in the same sign-in session.
    expect(jwtPayload(token).sid).toBe(jwtPayload(owner.access_token).sid);
    const confirmedRenewal = await postToken(sandbox, {
      grant_type: "refresh_token",
      refresh_token,
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    });
    expect(
      jwtPayload(((await confirmedRenewal.json()) as { access_token: string }).access_token),
    ).toMatchObject({ sid: jwtPayload(owner.access_token).sid, cnf: { kid: challengeId } });
  });

  it("finding 12: the challenge of a login on the authorization page goes to that login only (403)", async () => {
    const login = await startMfaLogin(sandbox);
    await sandbox.test.approveMfaChallenge(login.challengeId);
    const { access_token } = await passwordToken(sandbox);
    await expectRefused(await takeToken(access_token, login.challengeId));
  });
});
