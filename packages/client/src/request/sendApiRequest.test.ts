import { mfaChallengesResponseSchema, paths } from "@kontist-auth/protocol";
import { defaultSeeds } from "@kontist-auth/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { type ClientSandbox, startClientSandbox } from "../../test/sandbox";
import { Client } from "../Client";
import { ChallengeCancelledError } from "../errors/ChallengeCancelledError";

const challengesRoute = "GET /api/user/mfa/challenges";
const [demoUser] = defaultSeeds.users;

let sandbox: ClientSandbox;
beforeAll(async () => {
  sandbox = await startClientSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

/** For answers the sandbox does not give (a body that fails the schema, an echo): a loopback server. */
let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client signed in to the sandbox, where another login of the same user has started a push challenge. */
async function loggedIn() {
  const session = await sandbox.signIn();
  const other = await sandbox.signIn();
  await other.client.request({ method: "POST", path: paths.mfaChallenges });
  const pending = (await sandbox.test.mfaChallenges()).map(({ id, status, expiresAt }) => ({
    id,
    status,
    expiresAt,
  }));
  return { session, client: session.client, pending };
}

describe("Client.request", () => {
  it("sends an authenticated request and validates the answer with a schema", async () => {
    const { session, client, pending } = await loggedIn();
    const challenges = await client.request({
      method: "GET",
      path: "/api/user/mfa/challenges",
      schema: mfaChallengesResponseSchema,
    });
    expect(pending).toHaveLength(1);
    expect(challenges).toEqual(pending);
    expect(session.sent[0]?.headers.authorization).toBe(`Bearer ${session.accessToken}`);
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
    const { session, client } = await loggedIn();
    // The renewal takes 100 ms.
    await sandbox.test.injectFault({ route: "POST /api/oauth/token", fault: "delay", delayMs: 100 });
    const expiredAccessToken = fakeJwt({ sub: demoUser.id, scope: "users offline", exp: 1_600_000_000 });
    client.auth.tokenManager.setToken(expiredAccessToken, session.refreshToken);
    const controller = new AbortController();
    const path = "/api/user/mfa/challenges";
    const aborted = client.request({ method: "GET", path, signal: controller.signal });
    const other = client.request({ method: "GET", path });
    const reason = new ChallengeCancelledError("test");
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await expect(other).resolves.toHaveLength(1);
    expect(await sandbox.test.grantCount("refresh_token")).toBe(1);
    expect(await session.received(challengesRoute)).toBe(1);
  });
});
