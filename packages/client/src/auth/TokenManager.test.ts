import { describe, expect, it, vi } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { sendJson } from "../../test/loopbackServer";
import { serversClosedAfterEach } from "../../test/tokenEndpointServer";
import { Client } from "../Client";
import { OAuth2Error } from "../errors/OAuth2Error";

const { serve, tokenEndpoint } = serversClosedAfterEach();

const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });

describe("TokenManager.setToken", () => {
  it("makes a token the current one, replacing the refresh token", () => {
    const client = new Client({ clientId: "c" });
    expect(client.auth.tokenManager.token).toBeNull();
    client.auth.tokenManager.setToken("at-1", "rt-1");
    const token = client.auth.tokenManager.setToken(accessToken, undefined, "bearer");
    expect(client.auth.tokenManager.token).toBe(token);
    expect(token).toMatchObject({
      accessToken,
      refreshToken: undefined,
      tokenType: "bearer",
      confirmed: false,
    });
    expect(token.scopes).toEqual(["users", "offline"]);
  });
});

describe("TokenManager.onTokenChange", () => {
  it("tells listeners of every new token and of clearing, until they unsubscribe", async () => {
    const server = await tokenEndpoint({ access_token: "at-2", token_type: "Bearer", refresh_token: "rt-2" });
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s" });
    const { tokenManager } = client.auth;
    const seen: (string | null)[] = [];
    const unsubscribe = tokenManager.onTokenChange((token) => seen.push(token?.accessToken ?? null));
    await tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" });
    tokenManager.setToken("at-1", "rt-1");
    await tokenManager.refresh();
    tokenManager.clearToken();
    tokenManager.clearToken(); // already clear: no change, no call
    expect(seen).toEqual(["at-2", "at-1", "at-2", null]);
    expect(tokenManager.token).toBeNull();
    unsubscribe();
    tokenManager.setToken("at-3");
    expect(seen).toHaveLength(4);
  });

  it("is not told of a failed refresh", async () => {
    const server = await serve((_, response) => sendJson(response, 400, { error: "invalid_grant" }));
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    const listener = vi.fn();
    client.auth.tokenManager.onTokenChange(listener);
    await expect(client.auth.tokenManager.refresh()).rejects.toBeInstanceOf(OAuth2Error);
    expect(listener).not.toHaveBeenCalled();
  });

  it("keeps calling the other listeners when one throws, and reports the error", () => {
    const reportError = vi.fn();
    vi.stubGlobal("reportError", reportError);
    try {
      const client = new Client({ clientId: "c" });
      const failure = new Error("listener bug");
      const after = vi.fn();
      client.auth.tokenManager.onTokenChange(() => {
        throw failure;
      });
      client.auth.tokenManager.onTokenChange(after);
      const token = client.auth.tokenManager.setToken("at-1");
      expect(after).toHaveBeenCalledWith(token);
      expect(reportError).toHaveBeenCalledWith(failure);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("refuses a listener that is not a function", () => {
    const client = new Client({ clientId: "c" });
    expect(() => client.auth.tokenManager.onTokenChange(undefined as never)).toThrow(TypeError);
  });
});
