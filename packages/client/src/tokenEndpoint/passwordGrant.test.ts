import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { sendJson } from "../../test/loopbackServer";
import {
  authorizationHeader as basic,
  formFields as form,
  serversClosedAfterEach,
} from "../../test/tokenEndpointServer";
import { Client } from "../Client";
import { OAuth2Error } from "../errors/OAuth2Error";

const { serve, tokenEndpoint } = serversClosedAfterEach();

const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });

describe("TokenManager.fetchTokenFromCredentials", () => {
  it("sends a form-encoded password grant with client_id and client_secret in the body", async () => {
    const server = await tokenEndpoint({
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: 3599,
      refresh_token: "rt-1",
      scope: "users offline",
    });
    const client = new Client({
      baseUrl: server.url,
      clientId: "demo client",
      clientSecret: "se:cr+et",
      scopes: ["users", "offline"],
    });
    const before = Date.now();
    const token = await client.auth.tokenManager.fetchTokenFromCredentials({
      username: "demo@example.com",
      password: "p&ss word",
    });
    const request = server.requests[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/oauth/token");
    expect(request?.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(form(request)).toEqual({
      grant_type: "password",
      username: "demo@example.com",
      password: "p&ss word",
      scope: "users offline",
      client_id: "demo client",
      client_secret: "se:cr+et",
    });
    // As every example of Kontist's docs: credentials in the body, no Authorization header.
    expect(basic(request)).toBeUndefined();
    expect(token.accessToken).toBe(accessToken);
    expect(token.refreshToken).toBe("rt-1");
    expect(token.tokenType).toBe("Bearer");
    expect(token.scopes).toEqual(["users", "offline"]);
    expect(token.confirmed).toBe(false);
    expect(token.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(token.expiresAt?.getTime()).toBeLessThanOrEqual(Date.now() + 3_599_000);
    expect(client.auth.tokenManager.token).toBe(token);
  });

  it("sends client_id in the body and no Authorization header without a client secret", async () => {
    const server = await tokenEndpoint({ access_token: "opaque", token_type: "Bearer" });
    const client = new Client({ baseUrl: server.url, clientId: "demo-public" });
    const token = await client.auth.tokenManager.fetchTokenFromCredentials({
      username: "u",
      password: "p",
      scopes: ["accounts"],
    });
    expect(basic(server.requests[0])).toBeUndefined();
    expect(form(server.requests[0])).toEqual({
      grant_type: "password",
      username: "u",
      password: "p",
      scope: "accounts",
      client_id: "demo-public",
    });
    // No `scope` in the answer: the requested scopes were granted (RFC 6749 §5.1).
    expect(token.scopes).toEqual(["accounts"]);
    expect(token.expiresAt).toBeUndefined();
    expect(token.refreshToken).toBeUndefined();
  });

  it("leaves scope out when there are none, and then reads scopes and expiry from the JWT", async () => {
    const server = await tokenEndpoint({ access_token: accessToken, token_type: "Bearer" });
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
    const token = await client.auth.tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" });
    expect(form(server.requests[0])).not.toHaveProperty("scope");
    expect(token.scopes).toEqual(["users", "offline"]);
    expect(token.expiresAt).toEqual(new Date(1_900_000_000 * 1000));
  });

  it("throws OAuth2Error for wrong credentials and keeps the current token", async () => {
    const server = await serve((_, response) =>
      sendJson(response, 400, { error: "invalid_grant", error_description: "Invalid credentials" }),
    );
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
    const previous = client.auth.tokenManager.setToken("old-at", "old-rt");
    const error = await client.auth.tokenManager
      .fetchTokenFromCredentials({ username: "u", password: "wrong" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error).toMatchObject({
      status: 400,
      error: "invalid_grant",
      error_description: "Invalid credentials",
    });
    expect(client.auth.tokenManager.token).toBe(previous);
  });

  it("refuses an empty username or password without sending anything", async () => {
    const client = new Client({ baseUrl: "http://127.0.0.1:9", clientId: "c" });
    await expect(
      client.auth.tokenManager.fetchTokenFromCredentials({ username: "", password: "p" }),
    ).rejects.toThrow(TypeError);
    await expect(
      client.auth.tokenManager.fetchTokenFromCredentials({ username: "u", password: "" }),
    ).rejects.toThrow(TypeError);
  });
});
