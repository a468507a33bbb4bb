import { inspect } from "node:util";
import type { TokenStore } from "@kontist-auth/token-store";
import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../test/loopbackServer";
import { DeviceAuth } from "./auth/DeviceAuth";
import { PushAuth } from "./auth/PushAuth";
import { TokenManager } from "./auth/TokenManager";
import { Client, type ClientOptions } from "./Client";
import { GraphQLClient } from "./graphql/GraphQLClient";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("Client", () => {
  it("has the shape of Kontist's SDK", () => {
    const client = new Client({ clientId: "c" });
    expect(client.auth.tokenManager).toBeInstanceOf(TokenManager);
    expect(client.auth.device).toBeInstanceOf(DeviceAuth);
    expect(client.auth.push).toBeInstanceOf(PushAuth);
    expect(client.graphQL).toBeInstanceOf(GraphQLClient);
    expect(client.auth.tokenManager.token).toBeNull();
  });

  it("accepts the options of every flow", () => {
    const tokenStore: TokenStore = {
      get: async () => undefined,
      set: async () => {},
      delete: async () => {},
    };
    const options: ClientOptions = {
      baseUrl: "http://127.0.0.1:4010",
      clientId: "demo-public",
      scopes: ["users"],
      redirectUri: "http://localhost:3000/callback",
      state: "state-value",
      verifier: "v".repeat(43),
      tokenStore,
      fetch: globalThis.fetch,
      timeout: 5_000,
      refreshLeeway: 0,
      silentRenewalTimeout: 3_000,
    };
    expect(() => new Client(options)).not.toThrow();
  });

  it.each([
    ["no clientId", { clientId: "" }],
    ["a relative baseUrl", { clientId: "c", baseUrl: "/api" }],
    ["a non-http baseUrl", { clientId: "c", baseUrl: "ftp://example.com" }],
    ["a zero timeout", { clientId: "c", timeout: 0 }],
    ["a NaN timeout", { clientId: "c", timeout: Number.NaN }],
    ["a timeout beyond what timers support", { clientId: "c", timeout: 2 ** 31 }],
    ["a negative refreshLeeway", { clientId: "c", refreshLeeway: -1 }],
    ["a zero silentRenewalTimeout", { clientId: "c", silentRenewalTimeout: 0 }],
    ["a relative redirectUri", { clientId: "c", redirectUri: "/callback" }],
    ["an empty state", { clientId: "c", state: "" }],
  ])("refuses %s", (_, options) => {
    expect(() => new Client(options as ClientOptions)).toThrow(TypeError);
  });

  const pkce = {
    clientId: "demo-public",
    redirectUri: "http://localhost:3000/callback",
    state: "state-1",
    verifier: "v".repeat(43),
  };

  it.each([
    ["both a verifier and a clientSecret", { ...pkce, clientSecret: "s" }, /not both/],
    ["a verifier without state", { ...pkce, state: undefined }, /needs state and redirectUri/],
    ["a verifier without redirectUri", { ...pkce, redirectUri: undefined }, /needs state and redirectUri/],
    ["a verifier of 42 characters", { ...pkce, verifier: "v".repeat(42) }, /RFC 7636/],
    [
      "a verifier with characters PKCE does not allow",
      { ...pkce, verifier: `${"v".repeat(43)}+` },
      /RFC 7636/,
    ],
  ])("refuses %s at construction", (_, options, message) => {
    expect(() => new Client(options as ClientOptions)).toThrow(TypeError);
    expect(() => new Client(options as ClientOptions)).toThrow(message);
  });

  it("sends requests through an injected fetch", async () => {
    server = await startLoopbackServer((_, response) =>
      sendJson(response, 200, { access_token: "at", token_type: "Bearer" }),
    );
    const urls: string[] = [];
    const client = new Client({
      baseUrl: server.url,
      clientId: "c",
      fetch: (input, init) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });
    await client.auth.tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" });
    expect(urls).toEqual([`${server.url}/api/oauth/token`]);
  });

  it("shows no secret in util.inspect", () => {
    const client = new Client({ clientId: "c", clientSecret: "client-secret-value" });
    client.auth.tokenManager.setToken("access-token-value", "refresh-token-value");
    const text = inspect(client, { depth: 10, showHidden: true });
    for (const secret of ["client-secret-value", "access-token-value", "refresh-token-value"]) {
      expect(text).not.toContain(secret);
    }
  });
});
