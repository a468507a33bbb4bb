import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, passwordToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
let shortLived: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  shortLived = await startSandbox({ port: 0, accessTokenTtl: 1 });
});
afterAll(async () => {
  await sandbox.close();
  await shortLived.close();
});

async function expectUnauthorized(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  expect(await response.json()).toEqual({ message: expect.any(String), status: 401 });
}

/** `GET /api/user/mfa/challenges`, a bearer route without a body. */
const listChallenges = (target: RunningSandbox, authorization?: string) =>
  fetch(
    `${target.url}/api/user/mfa/challenges`,
    authorization === undefined ? {} : { headers: { Authorization: authorization } },
  );

describe("bearer authentication of /api/user/*", () => {
  it("lets a valid access token through", async () => {
    const { access_token } = await passwordToken(sandbox);
    expect((await listChallenges(sandbox, `Bearer ${access_token}`)).status).toBe(200);
    expect((await listChallenges(sandbox, `bearer ${access_token}`)).status).toBe(200);
  });

  it("answers 401 without a token, with another scheme, or with garbage", async () => {
    await expectUnauthorized(await listChallenges(sandbox));
    await expectUnauthorized(await listChallenges(sandbox, "Basic ZGVtbzpkZW1v"));
    await expectUnauthorized(await listChallenges(sandbox, "Bearer not.a.jwt"));
    await expectUnauthorized(await listChallenges(sandbox, "Bearer"));
  });

  it("answers 401 for a tampered token, and the message never echoes the token", async () => {
    const { access_token } = await passwordToken(sandbox);
    const [header, payload, signature] = access_token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, cnf: { kid: "x" } })).toString("base64url");
    const response = await listChallenges(sandbox, `Bearer ${header}.${forged}.${signature}`);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(forged);
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${payload}.`;
    await expectUnauthorized(await listChallenges(sandbox, `Bearer ${none}`));
  });

  it("answers 401 for a token of another sandbox (another signing key)", async () => {
    const { access_token } = await passwordToken(shortLived);
    await expectUnauthorized(await listChallenges(sandbox, `Bearer ${access_token}`));
  });

  it("answers 401 once the token has expired", async () => {
    const { access_token, expires_in } = await passwordToken(shortLived);
    expect(expires_in).toBe(1);
    await sleep(1100);
    await expectUnauthorized(await callApi(shortLived, "GET", "/api/user/mfa/challenges", access_token));
  });
});
