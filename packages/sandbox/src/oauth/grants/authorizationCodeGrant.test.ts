import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  authorizeWithLogin,
  authorizeWithMfa,
  exchangeCode,
  loopbackRedirectUri,
  pkcePair,
} from "../../../test/authorization";
import { basic, confirm, demo, jwtPayload, postToken } from "../../../test/requests";
import { type RunningSandbox, startSandbox } from "../../index";
import { pkceChallenge } from "../pkceChallenge";

const confidential = { client_id: demo.clientId, client_secret: demo.clientSecret };
const customRedirectUri = "kontist-demo://callback";

async function expectOAuth2Error(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = await response.json();
  expect(body).toEqual({ error, error_description: expect.any(String) });
  return body as { error: string; error_description: string };
}

const refresh = (
  sandbox: RunningSandbox,
  refreshToken: string,
  client: Record<string, string> = confidential,
) => postToken(sandbox, { grant_type: "refresh_token", refresh_token: refreshToken, ...client });

/** A code for demo-public with PKCE. */
async function publicCode(sandbox: RunningSandbox, redirectUri = loopbackRedirectUri) {
  const { verifier, challenge } = pkcePair();
  const { code } = await authorizeWithLogin(sandbox, {
    client_id: "demo-public",
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return { code, verifier };
}

describe("authorization_code grant", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it("exchanges a confidential client's code (client secret) for tokens with a refresh token", async () => {
    const { code } = await authorizeWithLogin(sandbox, { scope: "accounts offline" });
    const response = await exchangeCode(sandbox, code, confidential);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3599,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      scope: "accounts offline",
    });
    expect(jwtPayload(body.access_token)).toMatchObject({
      sub: "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01",
      client_id: demo.clientId,
      scope: "accounts offline",
    });
    expect(jwtPayload(body.access_token)).not.toHaveProperty("cnf");
    expect((await refresh(sandbox, body.refresh_token)).status).toBe(200);
  });

  it("authenticates the confidential client with HTTP Basic too", async () => {
    const { code } = await authorizeWithLogin(sandbox);
    const response = await exchangeCode(sandbox, code, {});
    await expectOAuth2Error(response, 401, "invalid_client");
    const { code: second } = await authorizeWithLogin(sandbox);
    const viaBasic = await postToken(
      sandbox,
      { grant_type: "authorization_code", code: second, redirect_uri: loopbackRedirectUri },
      basic(demo.clientId, demo.clientSecret),
    );
    expect(viaBasic.status).toBe(200);
  });

  it("gives a PKCE client on an http redirect URI no refresh token, and leaves offline out of the scope", async () => {
    const { code, verifier } = await publicCode(sandbox);
    const response = await exchangeCode(sandbox, code, { client_id: "demo-public", code_verifier: verifier });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3599,
      scope: "accounts users subscriptions transfers",
    });
    expect(jwtPayload(body.access_token)).toMatchObject({ client_id: "demo-public" });
    // No offline, so a device confirmation gives no refresh token either.
    const confirmed = await confirm(sandbox, body.access_token);
    expect(confirmed.refresh_token).toBeUndefined();
  });

  it("gives a PKCE client on a custom-scheme redirect URI a refresh token it renews with client_id alone", async () => {
    const { code, verifier } = await publicCode(sandbox, customRedirectUri);
    const response = await exchangeCode(sandbox, code, {
      client_id: "demo-public",
      code_verifier: verifier,
      redirect_uri: customRedirectUri,
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(body.scope).toContain("offline");
    const renewed = await refresh(sandbox, body.refresh_token, { client_id: "demo-public" });
    expect(renewed.status).toBe(200);
  });

  it("accepts the 16-digit code_verifier of Kontist's docs, end to end", async () => {
    const verifier = "7963393253896189";
    const { code } = await authorizeWithLogin(sandbox, {
      client_id: "demo-public",
      code_challenge: pkceChallenge(verifier),
      code_challenge_method: "S256",
    });
    const response = await exchangeCode(sandbox, code, { client_id: "demo-public", code_verifier: verifier });
    expect(response.status).toBe(200);
    const { code: other } = await authorizeWithLogin(sandbox, {
      client_id: "demo-public",
      code_challenge: pkceChallenge(verifier),
      code_challenge_method: "S256",
    });
    const wrong = await exchangeCode(sandbox, other, {
      client_id: "demo-public",
      code_verifier: "7963393253896180",
    });
    await expectOAuth2Error(wrong, 400, "invalid_grant");
  });

  it("gives the code of a login that passed MFA a confirmed access token and a confirmed refresh token", async () => {
    const { code, challengeId } = await authorizeWithMfa(sandbox, { scope: "accounts offline" });
    const body = await (await exchangeCode(sandbox, code, confidential)).json();
    expect(jwtPayload(body.access_token)).toMatchObject({
      scope: "accounts offline",
      cnf: { kid: challengeId },
    });
    const renewed = await (await refresh(sandbox, body.refresh_token)).json();
    expect(jwtPayload(renewed.access_token)).toMatchObject({ cnf: { kid: challengeId } });
  });

  it("refuses a wrong code_verifier with invalid_grant, and the code is spent", async () => {
    const { code, verifier } = await publicCode(sandbox);
    const wrong = await exchangeCode(sandbox, code, {
      client_id: "demo-public",
      code_verifier: pkcePair().verifier,
    });
    const body = await expectOAuth2Error(wrong, 400, "invalid_grant");
    expect(body.error_description).toBe("The code_verifier does not match the code_challenge.");
    expect(body.error_description).not.toContain(verifier);
    await expectOAuth2Error(
      await exchangeCode(sandbox, code, { client_id: "demo-public", code_verifier: verifier }),
      400,
      "invalid_grant",
    );
  });

  it("requires the code_verifier when the request had a challenge, and refuses one without", async () => {
    const { code } = await publicCode(sandbox);
    await expectOAuth2Error(
      await exchangeCode(sandbox, code, { client_id: "demo-public" }),
      400,
      "invalid_request",
    );

    const { code: plainCode } = await authorizeWithLogin(sandbox);
    const downgrade = await exchangeCode(sandbox, plainCode, {
      ...confidential,
      code_verifier: pkcePair().verifier,
    });
    await expectOAuth2Error(downgrade, 400, "invalid_grant");
  });

  it("checks PKCE for a confidential client that used it, besides its secret", async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await authorizeWithLogin(sandbox, {
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect((await exchangeCode(sandbox, code, { ...confidential, code_verifier: verifier })).status).toBe(
      200,
    );
  });

  it("refuses another redirect_uri, another client, and an unknown code with invalid_grant", async () => {
    const first = await authorizeWithLogin(sandbox);
    const other = await exchangeCode(sandbox, first.code, {
      ...confidential,
      redirect_uri: "http://127.0.0.1:5173/other",
    });
    expect((await expectOAuth2Error(other, 400, "invalid_grant")).error_description).toContain(
      "redirect_uri",
    );

    const { code, verifier } = await publicCode(sandbox);
    await expectOAuth2Error(await exchangeCode(sandbox, code, confidential), 400, "invalid_grant");
    await expectOAuth2Error(
      await exchangeCode(sandbox, code, { client_id: "demo-public", code_verifier: verifier }),
      400,
      "invalid_grant",
    );
    await expectOAuth2Error(await exchangeCode(sandbox, "no-such-code", confidential), 400, "invalid_grant");
  });

  it("refuses a public client that sends a secret, with invalid_client", async () => {
    const { code, verifier } = await publicCode(sandbox);
    await expectOAuth2Error(
      await exchangeCode(sandbox, code, {
        client_id: "demo-public",
        client_secret: "x",
        code_verifier: verifier,
      }),
      401,
      "invalid_client",
    );
  });

  it("refuses a reused code and revokes the refresh token issued from it (RFC 6749 §4.1.2)", async () => {
    const { code } = await authorizeWithLogin(sandbox);
    const first = await exchangeCode(sandbox, code, confidential);
    expect(first.status).toBe(200);
    const { refresh_token } = await first.json();
    expect((await refresh(sandbox, refresh_token)).status).toBe(200);

    const replay = await expectOAuth2Error(
      await exchangeCode(sandbox, code, confidential),
      400,
      "invalid_grant",
    );
    expect(replay.error_description).toBe("The authorization code is invalid, expired or already used.");
    await expectOAuth2Error(await refresh(sandbox, refresh_token), 400, "invalid_grant");
  });

  it("counts the grant in /sandbox/stats", async () => {
    const { code } = await authorizeWithLogin(sandbox);
    await exchangeCode(sandbox, code, confidential);
    await exchangeCode(sandbox, code, confidential);
    const stats = await sandbox.test.stats();
    expect(stats.grants).toEqual({ authorization_code: 2 });
  });

  it("forgets codes on reset", async () => {
    const { code } = await authorizeWithLogin(sandbox);
    sandbox.reset();
    await expectOAuth2Error(await exchangeCode(sandbox, code, confidential), 400, "invalid_grant");
  });
});

describe("authorization_code grant with a short authorizationCodeTtl", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, authorizationCodeTtl: 0.3 });
  });
  afterAll(() => sandbox.close());

  it("refuses an expired code with invalid_grant", async () => {
    const { code } = await authorizeWithLogin(sandbox);
    await sleep(400);
    await expectOAuth2Error(await exchangeCode(sandbox, code, confidential), 400, "invalid_grant");
  });
});

describe("authorization_code grant with rotateRefreshTokens", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rotateRefreshTokens: true });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it("rotates the refresh token from a code and refuses a reused one", async () => {
    const { code } = await authorizeWithLogin(sandbox);
    const { refresh_token: first } = await (await exchangeCode(sandbox, code, confidential)).json();
    const rotated = await refresh(sandbox, first);
    expect(rotated.status).toBe(200);
    const { refresh_token: second } = await rotated.json();
    expect(second).not.toBe(first);
    expect((await refresh(sandbox, second)).status).toBe(200);
    await expectOAuth2Error(await refresh(sandbox, first), 400, "invalid_grant");
  });

  it("revokes the rotated successors too when the code is replayed", async () => {
    const { code, verifier } = await publicCode(sandbox, customRedirectUri);
    const exchange = () =>
      exchangeCode(sandbox, code, {
        client_id: "demo-public",
        code_verifier: verifier,
        redirect_uri: customRedirectUri,
      });
    const { refresh_token: first } = await (await exchange()).json();
    const { refresh_token: second } = await (
      await refresh(sandbox, first, { client_id: "demo-public" })
    ).json();
    await expectOAuth2Error(await exchange(), 400, "invalid_grant");
    await expectOAuth2Error(
      await refresh(sandbox, second, { client_id: "demo-public" }),
      400,
      "invalid_grant",
    );
  });
});
