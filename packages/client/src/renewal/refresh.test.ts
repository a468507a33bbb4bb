import { isKontistAuthError, sleep } from "@kontist-auth/protocol";
import { memoryStore } from "@kontist-auth/token-store";
import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { sendJson } from "../../test/loopbackServer";
import {
  authorizationHeader as basic,
  formFields as form,
  serversClosedAfterEach,
} from "../../test/tokenEndpointServer";
import { Client } from "../Client";
import { NetworkError } from "../errors/NetworkError";
import { OAuth2Error } from "../errors/OAuth2Error";
import { TokenRenewalError } from "../errors/TokenRenewalError";

const { serve, tokenEndpoint } = serversClosedAfterEach();

const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });

describe("TokenManager.refresh", () => {
  it("sends a refresh_token grant and makes the answer the current token", async () => {
    const renewed = fakeJwt({ sub: "user-1", exp: 1_900_000_100, cnf: { kid: "device-1" } });
    const server = await tokenEndpoint({
      access_token: renewed,
      token_type: "Bearer",
      expires_in: 60,
      refresh_token: "rt-2",
    });
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
    client.auth.tokenManager.setToken(accessToken, "rt-1");
    const token = await client.auth.tokenManager.refresh();
    expect(form(server.requests[0])).toEqual({
      grant_type: "refresh_token",
      refresh_token: "rt-1",
      client_id: "c",
      client_secret: "s",
    });
    expect(basic(server.requests[0])).toBeUndefined();
    expect(token).toMatchObject({ accessToken: renewed, refreshToken: "rt-2", confirmed: true });
    // No `scope` in the answer: the scopes of the token that was renewed.
    expect(token.scopes).toEqual(["users", "offline"]);
    expect(client.auth.tokenManager.token).toBe(token);
  });

  it("keeps the old refresh token when the answer has none", async () => {
    const server = await tokenEndpoint({ access_token: "at-2", token_type: "Bearer", expires_in: 60 });
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    const token = await client.auth.tokenManager.refresh();
    expect(token.accessToken).toBe("at-2");
    expect(token.refreshToken).toBe("rt-1");
    expect(form(server.requests[0])).toMatchObject({ client_id: "c" });
  });

  it("reads Kontist's answer without refresh_token (expires_in 3599): old refresh token kept, also in the store", async () => {
    // The refresh answer of Kontist's docs: no new refresh token; the one used stays valid.
    const renewed = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_200 });
    const server = await tokenEndpoint({
      access_token: renewed,
      token_type: "Bearer",
      expires_in: 3599,
      scope: "users offline",
    });
    const tokenStore = memoryStore();
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s", tokenStore });
    client.auth.tokenManager.setToken(accessToken, "rt-kept");
    const before = Date.now();
    const token = await client.auth.tokenManager.refresh();
    expect(token).toMatchObject({
      accessToken: renewed,
      refreshToken: "rt-kept",
      scopes: ["users", "offline"],
    });
    // expires_in wins over the JWT's exp, counted from the answer.
    expect(token.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(token.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + 3_599_000);
    expect(await tokenStore.get("kontist-auth:c")).toMatchObject({
      accessToken: renewed,
      refreshToken: "rt-kept",
    });
    // The next renewal uses it again.
    await client.auth.tokenManager.refresh();
    expect(form(server.requests[1]).refresh_token).toBe("rt-kept");
  });

  it("shares one request between concurrent calls", async () => {
    const server = await tokenEndpoint(
      { access_token: "at-2", token_type: "Bearer", refresh_token: "rt-2" },
      100,
    );
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.auth.tokenManager.refresh()));
    expect(server.requests).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]?.accessToken).toBe("at-2");
    // Once settled, the next call sends a new request, with the new refresh token.
    await client.auth.tokenManager.refresh();
    expect(server.requests).toHaveLength(2);
    expect(form(server.requests[1]).refresh_token).toBe("rt-2");
  });

  it("shares a failure between concurrent calls, then tries again", async () => {
    let calls = 0;
    const server = await serve(async (_, response) => {
      calls++;
      await sleep(50);
      if (calls === 1) sendJson(response, 503, { message: "down", status: 503 });
      else sendJson(response, 200, { access_token: "at-2", token_type: "Bearer" });
    });
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    const results = await Promise.allSettled([
      client.auth.tokenManager.refresh(),
      client.auth.tokenManager.refresh(),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toBe(1);
    expect((await client.auth.tokenManager.refresh()).accessToken).toBe("at-2");
  });

  it("keeps the refresh token after a network error", async () => {
    const server = await serve((_, response, raw) => {
      raw.socket.resetAndDestroy();
      response.destroy();
    });
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
    const stored = client.auth.tokenManager.setToken("at-1", "rt-1");
    const error = await client.auth.tokenManager.refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(client.auth.tokenManager.token).toBe(stored);
    expect(client.auth.tokenManager.token?.refreshToken).toBe("rt-1");
  });

  it("keeps the token when the server refuses the refresh token", async () => {
    const server = await serve((_, response) => sendJson(response, 400, { error: "invalid_grant" }));
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
    const stored = client.auth.tokenManager.setToken("at-1", "rt-1");
    await expect(client.auth.tokenManager.refresh()).rejects.toBeInstanceOf(OAuth2Error);
    expect(client.auth.tokenManager.token).toBe(stored);
  });

  it("throws TokenRenewalError without a token or without a refresh token, sending nothing", async () => {
    const server = await serve((_, response) => sendJson(response, 500, {}));
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    const noToken = await client.auth.tokenManager.refresh().catch((e: unknown) => e);
    expect(noToken).toBeInstanceOf(TokenRenewalError);
    expect(isKontistAuthError(noToken, "TOKEN_RENEWAL_FAILED")).toBe(true);
    client.auth.tokenManager.setToken("at-1");
    await expect(client.auth.tokenManager.refresh()).rejects.toMatchObject({ code: "TOKEN_RENEWAL_FAILED" });
    expect(server.requests).toHaveLength(0);
  });

  it("does not overwrite a token set while the refresh was running", async () => {
    const server = await tokenEndpoint({ access_token: "at-refreshed", token_type: "Bearer" }, 100);
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    const refreshing = client.auth.tokenManager.refresh();
    const newer = client.auth.tokenManager.setToken("at-newer", "rt-newer");
    expect((await refreshing).accessToken).toBe("at-refreshed");
    expect(client.auth.tokenManager.token).toBe(newer);
  });
});

describe("TokenManager lifecycle", () => {
  it("keeps a confirmed token set while an older refresh was in flight, and renews with its refresh token", async () => {
    const server = await tokenEndpoint({ access_token: "at-refreshed", token_type: "Bearer" }, 100);
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    const { tokenManager } = client.auth;
    tokenManager.setToken("at-1", "rt-unconfirmed");
    const refreshing = tokenManager.refresh();
    const confirmed = tokenManager.setToken(
      fakeJwt({ sub: "user-1", exp: 1_900_000_000, cnf: { kid: "device-1" } }),
      "rt-confirmed",
    );
    await refreshing;
    expect(tokenManager.token).toBe(confirmed);
    await tokenManager.refresh();
    expect(form(server.requests[1]).refresh_token).toBe("rt-confirmed");
    expect(tokenManager.token?.refreshToken).toBe("rt-confirmed");
  });

  it("does not install a refresh that finishes after clearToken()", async () => {
    const server = await tokenEndpoint({ access_token: "at-refreshed", token_type: "Bearer" }, 50);
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    const refreshing = client.auth.tokenManager.refresh();
    client.auth.tokenManager.clearToken();
    await refreshing;
    expect(client.auth.tokenManager.token).toBeNull();
  });

  it("never retries the token endpoint itself after a 401", async () => {
    const server = await serve((_, response) => sendJson(response, 401, { error: "invalid_client" }));
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "wrong" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    await expect(client.auth.tokenManager.refresh()).rejects.toMatchObject({
      code: "OAUTH2_ERROR",
      error: "invalid_client",
      status: 401,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("getValidToken gives the current token, renewed when it expires within the leeway", async () => {
    const server = await tokenEndpoint({ access_token: "at-2", token_type: "Bearer", expires_in: 3600 });
    const client = new Client({ baseUrl: server.url, clientId: "c", refreshLeeway: 60_000 });
    const { tokenManager } = client.auth;
    await expect(tokenManager.getValidToken()).rejects.toMatchObject({ code: "NO_TOKEN" });
    const soon = fakeJwt({ sub: "user-1", exp: Math.floor(Date.now() / 1000) + 45 });
    tokenManager.setToken(soon, "rt-1");
    expect((await tokenManager.getValidToken()).accessToken).toBe("at-2");
    expect((await tokenManager.getValidToken()).accessToken).toBe("at-2");
    expect(server.requests).toHaveLength(1);
  });
});
