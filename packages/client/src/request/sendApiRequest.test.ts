import { mfaChallengesResponseSchema } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOAuthApi, startFakeOAuthApi } from "../../test/fakeOAuthApi";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import { ChallengeCancelledError } from "../errors/ChallengeCancelledError";

let server: FakeOAuthApi | LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function loggedIn() {
  const fake = await startFakeOAuthApi({ refreshDelay: 100 });
  server = fake;
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s" });
  const { accessToken, refreshToken } = fake.login();
  client.auth.tokenManager.setToken(accessToken, refreshToken);
  return { fake, client, accessToken, refreshToken };
}

describe("Client.request", () => {
  it("sends an authenticated request and validates the answer with a schema", async () => {
    const { fake, client, accessToken } = await loggedIn();
    const challenges = await client.request({
      method: "GET",
      path: "/api/user/mfa/challenges",
      schema: mfaChallengesResponseSchema,
    });
    expect(challenges).toEqual([
      { id: "challenge-1", status: "PENDING", expiresAt: "2026-01-01T00:05:00.000+00:00" },
    ]);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${accessToken}`);
    // Without a schema: the parsed JSON, as unknown.
    await expect(client.request({ method: "GET", path: "/api/user/mfa/challenges" })).resolves.toHaveLength(
      1,
    );
  });

  it("names the field that fails the schema", async () => {
    server = await startLoopbackServer((_, response) =>
      sendJson(response, 200, [{ id: "c-1", status: "PENDING" }]),
    );
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1");
    await expect(
      client.request({
        method: "GET",
        path: "/api/user/mfa/challenges",
        schema: mfaChallengesResponseSchema,
      }),
    ).rejects.toMatchObject({ code: "INVALID_RESPONSE", field: "0.expiresAt" });
  });

  it("sends a JSON body, returns undefined for 204, and turns error statuses into typed errors", async () => {
    server = await startLoopbackServer((request, response) => {
      if (request.method === "DELETE") return void response.writeHead(204).end();
      if (request.url === "/api/user/missing")
        return sendJson(response, 404, { message: "Not found", status: 404 });
      sendJson(response, 201, { echo: JSON.parse(request.body) });
    });
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1");
    await expect(
      client.request({ method: "POST", path: "/api/user/things", body: { a: 1 } }),
    ).resolves.toEqual({ echo: { a: 1 } });
    expect(server.requests[0]?.headers["content-type"]).toBe("application/json");
    await expect(client.request({ method: "DELETE", path: "/api/user/things/t-1" })).resolves.toBeUndefined();
    await expect(client.request({ method: "GET", path: "/api/user/missing" })).rejects.toMatchObject({
      code: "HTTP_ERROR",
      status: 404,
      serverMessage: "Not found",
    });
  });

  it("refuses paths that are not below the base URL, and the OAuth endpoints", async () => {
    const client = new Client({ clientId: "c" });
    client.auth.tokenManager.setToken("at-1");
    for (const path of ["https://evil.example/x", "//evil.example/x", "api/user", "/api/oauth/token"]) {
      await expect(client.request({ method: "GET", path })).rejects.toThrow(TypeError);
    }
  });

  it("stops waiting for a shared renewal when its signal aborts, without stopping the renewal", async () => {
    const { fake, client } = await loggedIn();
    client.auth.tokenManager.setToken(fake.expiredAccessToken, fake.login().refreshToken);
    const controller = new AbortController();
    const path = "/api/user/mfa/challenges";
    const aborted = client.request({ method: "GET", path, signal: controller.signal });
    const other = client.request({ method: "GET", path });
    const reason = new ChallengeCancelledError("test");
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await expect(other).resolves.toHaveLength(1);
    expect(fake.count("POST /api/oauth/token")).toBe(1);
    expect(fake.count("GET /api/user/mfa/challenges")).toBe(1);
  });
});
