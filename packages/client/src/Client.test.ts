import { inspect } from "node:util";
import type { TokenStore } from "@kontist-auth/token-store";
import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../test/loopbackServer";
import { DeviceAuth } from "./auth/DeviceAuth";
import { PushAuth } from "./auth/PushAuth";
import { TokenManager } from "./auth/TokenManager";
import { Client } from "./Client";
import { GraphQLClient } from "./graphql/GraphQLClient";
import type { ClientOptions } from "./options/ClientOptions";

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

  it("finding 1: accepts a verifier together with a clientSecret (PKCE for a confidential client)", () => {
    expect(() => new Client({ ...pkce, clientSecret: "s" })).not.toThrow();
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

  it("finding 3: shows no secret in JSON.stringify, of the client or of any public object it holds", () => {
    const client = new Client({ clientId: "c", clientSecret: "client-secret-value" });
    const token = client.auth.tokenManager.setToken("access-token-value", "refresh-token-value");
    const objects = {
      client,
      tokenManager: client.auth.tokenManager,
      device: client.auth.device,
      push: client.auth.push,
      graphQL: client.graphQL,
      token,
      current: client.auth.tokenManager.token,
    };
    for (const [name, object] of Object.entries(objects)) {
      const json = JSON.stringify(object);
      for (const secret of ["client-secret-value", "access-token-value", "refresh-token-value"]) {
        expect(json, name).not.toContain(secret);
      }
    }
    expect(JSON.parse(JSON.stringify(token))).toEqual({
      tokenType: "Bearer",
      accessToken: "[redacted]",
      refreshToken: "[redacted]",
      scopes: [],
      confirmed: false,
    });
  });
});

describe("finding 5: redirects on token, device, MFA and GraphQL calls", () => {
  let evil: LoopbackServer | undefined;
  afterEach(async () => {
    await evil?.close();
    evil = undefined;
  });

  it("finding 5: does not follow a cross-origin 307 or 308 on any call; the other origin receives nothing", async () => {
    evil = await startLoopbackServer((_, response) =>
      sendJson(response, 200, { access_token: "stolen", token_type: "Bearer", data: {} }),
    );
    const target = evil.url;
    let next = 307;
    server = await startLoopbackServer((request, response) => {
      next = next === 307 ? 308 : 307;
      response.writeHead(next, { location: `${target}${request.url}` }).end();
    });
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "client-secret-value" });
    const calls = [
      () => client.auth.tokenManager.fetchTokenFromCredentials({ username: "u", password: "password-value" }),
      () => {
        client.auth.tokenManager.setToken("access-token-value", "refresh-token-value");
        return client.auth.tokenManager.refresh();
      },
      () => client.auth.device.createDeviceChallenge("device-1"),
      () => client.auth.push.list(),
      () => client.graphQL.rawQuery("{ viewer { id } }"),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "UNEXPECTED_REDIRECT" });
    }
    expect(server.requests.length).toBeGreaterThanOrEqual(calls.length);
    expect(evil.requests).toHaveLength(0);
  });
});

describe("finding 6: ids that are dot segments", () => {
  it.each([".", "..", "%2e", "%2E%2e", ".%2E", "%2e."])(
    "finding 6: refuses the id %s with a TypeError before anything is sent",
    async (id) => {
      server = await startLoopbackServer((_, response) => sendJson(response, 200, {}));
      const client = new Client({ baseUrl: server.url, clientId: "c" });
      client.auth.tokenManager.setToken("access-token-value");
      const { device, push } = client.auth;
      const calls = [
        () => device.createDeviceChallenge(id),
        () => device.verifyDevice(id, { challengeId: "c-1", signature: "3006020101020101" }),
        () => device.verifyDeviceChallenge(id, "c-1", { signature: "3006020101020101" }),
        () => device.verifyDeviceChallenge("d-1", id, { signature: "3006020101020101" }),
        () => push.answer(id, "DENIED"),
      ];
      for (const call of calls) await expect(call()).rejects.toThrow(TypeError);
      expect(server.requests).toHaveLength(0);
    },
  );

  it("finding 6: still sends ids that merely contain dots, percent-encoded", async () => {
    server = await startLoopbackServer((_, response) => void response.writeHead(204).end());
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("access-token-value");
    await client.auth.push.answer("a.b..c", "DENIED");
    await client.auth.push.answer("...", "DENIED");
    expect(server.requests.map((request) => request.url)).toEqual([
      "/api/user/mfa/challenges/a.b..c",
      "/api/user/mfa/challenges/...",
    ]);
  });
});

describe("finding 10: an http: baseUrl", () => {
  it.each([
    "http://api.kontist.com",
    "http://example.com:8080/prefix",
    "http://10.0.0.5:4010",
    "http://0.0.0.0:4010",
    "http://127.0.0.1.nip.io",
    "http://[::2]:4010",
  ])(
    "finding 10: refuses %s (the password and client secret would cross the network in clear text)",
    (baseUrl) => {
      expect(() => new Client({ clientId: "c", clientSecret: "s", baseUrl })).toThrow(TypeError);
      expect(() => new Client({ clientId: "c", clientSecret: "s", baseUrl })).toThrow(/allowInsecureHttp/);
    },
  );

  it.each([
    "http://127.0.0.1:4010",
    "http://127.8.9.10",
    "http://localhost:4010",
    "http://LOCALHOST:4010",
    "http://api.localhost",
    "http://[::1]:4010",
    "https://api.example.com",
  ])("finding 10: accepts %s (loopback, or https)", (baseUrl) => {
    expect(() => new Client({ clientId: "c", baseUrl })).not.toThrow();
  });

  it("finding 10: allowInsecureHttp: true is the named opt-out, and must be a boolean", async () => {
    expect(
      () => new Client({ clientId: "c", baseUrl: "http://sandbox.internal:4010", allowInsecureHttp: true }),
    ).not.toThrow();
    expect(
      () =>
        new Client({
          clientId: "c",
          baseUrl: "http://sandbox.internal:4010",
          allowInsecureHttp: "yes" as never,
        }),
    ).toThrow(TypeError);
  });
});
