import { deviceGraphQL, sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { confirm, demo, jwtPayload, passwordToken, postGraphQL, postToken } from "../../../test/requests";
import { type RunningSandbox, startSandbox } from "../../index";

const client = { client_id: demo.clientId, client_secret: demo.clientSecret };
const refresh = (sandbox: RunningSandbox, refreshToken: string, extra: Record<string, string> = {}) =>
  postToken(sandbox, { grant_type: "refresh_token", refresh_token: refreshToken, ...client, ...extra });

async function expectInvalidGrant(response: Response) {
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({
    error: "invalid_grant",
    error_description: "The refresh token is invalid, expired or revoked.",
  });
}

describe("refresh_token grant without rotation (the default)", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it("issues a new access token and answers the same refresh token, usable many times", async () => {
    const first = await passwordToken(sandbox);
    const refreshToken = first.refresh_token ?? "";
    for (let i = 0; i < 3; i += 1) {
      const response = await refresh(sandbox, refreshToken);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = await response.json();
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: "Bearer",
        expires_in: 3599,
        refresh_token: refreshToken,
        scope: "accounts users subscriptions transfers offline",
      });
      expect(body.access_token).not.toBe(first.access_token);
      expect(jwtPayload(body.access_token)).not.toHaveProperty("cnf");
    }
  });

  it("narrows the scope when asked, and refuses to widen it with invalid_scope", async () => {
    const { refresh_token } = await passwordToken(sandbox, { scope: "accounts offline" });
    const narrowed = await refresh(sandbox, refresh_token ?? "", { scope: "accounts" });
    expect(narrowed.status).toBe(200);
    expect((await narrowed.json()).scope).toBe("accounts");
    const widened = await refresh(sandbox, refresh_token ?? "", { scope: "accounts transfers" });
    expect(widened.status).toBe(400);
    expect(await widened.json()).toEqual({ error: "invalid_scope", error_description: expect.any(String) });
  });

  it("refuses an unknown refresh token with invalid_grant", async () => {
    await expectInvalidGrant(await refresh(sandbox, "not-a-refresh-token"));
  });

  it("refuses a refresh token presented by another client with invalid_grant", async () => {
    const { refresh_token } = await passwordToken(sandbox);
    await expectInvalidGrant(
      await postToken(sandbox, {
        grant_type: "refresh_token",
        refresh_token: refresh_token ?? "",
        client_id: "demo-public",
      }),
    );
  });

  it("keeps a confirmed refresh token confirmed: every refreshed access token carries cnf", async () => {
    const { access_token } = await passwordToken(sandbox);
    const confirmed = await confirm(sandbox, access_token);
    expect(confirmed.refresh_token).toEqual(expect.any(String));
    for (let i = 0; i < 2; i += 1) {
      const response = await refresh(sandbox, confirmed.refresh_token ?? "");
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.refresh_token).toBe(confirmed.refresh_token);
      expect(jwtPayload(body.access_token)).toMatchObject({ cnf: { kid: confirmed.deviceId } });
    }
  });

  it("revokes a device's confirmed refresh tokens when the device is deleted", async () => {
    const { access_token } = await passwordToken(sandbox);
    const confirmed = await confirm(sandbox, access_token);
    const deleted = await postGraphQL(sandbox, confirmed.token, {
      query: deviceGraphQL.deleteBoundDevice,
      variables: { deviceId: confirmed.deviceId },
    });
    expect(await deleted.json()).toEqual({ data: { deleteBoundDevice: true } });
    await expectInvalidGrant(await refresh(sandbox, confirmed.refresh_token ?? ""));
  });

  it("forgets refresh tokens on reset", async () => {
    const { refresh_token } = await passwordToken(sandbox);
    sandbox.reset();
    await expectInvalidGrant(await refresh(sandbox, refresh_token ?? ""));
  });
});

describe("refresh_token grant with short lifetimes", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, refreshTokenTtl: 0.3 });
  });
  afterAll(() => sandbox.close());

  it("refuses an expired refresh token with invalid_grant", async () => {
    const { refresh_token } = await passwordToken(sandbox);
    expect((await refresh(sandbox, refresh_token ?? "")).status).toBe(200);
    await sleep(400);
    await expectInvalidGrant(await refresh(sandbox, refresh_token ?? ""));
  });
});

describe("refresh_token grant with omitRefreshTokenOnRefresh", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, omitRefreshTokenOnRefresh: true });
  });
  afterAll(() => sandbox.close());

  it("answers without refresh_token, as Kontist's docs show, and the old one keeps working", async () => {
    const { refresh_token } = await passwordToken(sandbox);
    for (let i = 0; i < 2; i += 1) {
      const response = await refresh(sandbox, refresh_token ?? "");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        access_token: expect.any(String),
        token_type: "Bearer",
        expires_in: 3599,
        scope: "accounts users subscriptions transfers offline",
      });
    }
  });

  it("still answers refresh_token from the password grant", async () => {
    expect((await passwordToken(sandbox)).refresh_token).toEqual(expect.any(String));
  });

  it("cannot be combined with rotateRefreshTokens (RangeError)", async () => {
    await expect(
      startSandbox({ omitRefreshTokenOnRefresh: true, rotateRefreshTokens: true }),
    ).rejects.toThrow(/omitRefreshTokenOnRefresh cannot be combined with rotateRefreshTokens/);
  });
});

describe("refresh_token grant with rotateRefreshTokens", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rotateRefreshTokens: true });
  });
  afterAll(() => sandbox.close());

  it("issues a new refresh token each time and refuses a reused one with invalid_grant", async () => {
    const first = (await passwordToken(sandbox)).refresh_token ?? "";
    const response = await refresh(sandbox, first);
    expect(response.status).toBe(200);
    const second = (await response.json()).refresh_token as string;
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);

    await expectInvalidGrant(await refresh(sandbox, first));
    // Reuse revokes the whole family (RFC 9700 §4.14.2), so the successor is dead too.
    await expectInvalidGrant(await refresh(sandbox, second));
  });

  it("keeps the confirmation across rotations", async () => {
    const { access_token } = await passwordToken(sandbox);
    const confirmed = await confirm(sandbox, access_token);
    const once = await (await refresh(sandbox, confirmed.refresh_token ?? "")).json();
    const twice = await (await refresh(sandbox, once.refresh_token)).json();
    expect(jwtPayload(twice.access_token)).toMatchObject({ cnf: { kid: confirmed.deviceId } });
  });

  it("finding 11: a confirmed refresh token whose device is gone is invalid_grant, rotated successors too", async () => {
    const { access_token } = await passwordToken(sandbox);
    const confirmed = await confirm(sandbox, access_token);
    const rotated = (await (await refresh(sandbox, confirmed.refresh_token ?? "")).json()).refresh_token;
    const deleted = await postGraphQL(sandbox, access_token, {
      query: deviceGraphQL.deleteBoundDevice,
      variables: { deviceId: confirmed.deviceId },
    });
    expect(await deleted.json()).toEqual({ data: { deleteBoundDevice: true } });
    await expectInvalidGrant(await refresh(sandbox, rotated));
  });
});
