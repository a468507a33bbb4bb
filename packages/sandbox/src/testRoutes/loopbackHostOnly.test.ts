import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, passwordToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";
import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
import { createSandboxApp } from "../server/createSandboxApp";
import { createSandboxRuntime } from "../server/createSandboxRuntime";
import { isLoopbackHost } from "./loopbackHostOnly";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

/** A request with a `Host` header of our choosing (fetch does not let a caller set it). */
function requestWithHost(
  method: string,
  path: string,
  host: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: sandbox.port, method, path, headers: { Host: host } },
      (incoming) => {
        let body = "";
        incoming.setEncoding("utf8");
        incoming.on("data", (chunk: string) => {
          body += chunk;
        });
        incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

const getWithHost = (path: string, host: string) => requestWithHost("GET", path, host);

describe("isLoopbackHost", () => {
  it("accepts loopback names with or without a port", () => {
    for (const host of [
      "localhost",
      "LOCALHOST:4010",
      "app.localhost:1",
      "127.0.0.1",
      "127.1.2.3:80",
      "[::1]:4010",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it("refuses other names, tricks and a missing Host", () => {
    for (const host of [
      undefined,
      "",
      "sandbox.example",
      "localhost.evil.example",
      "localhost@evil.example",
      "evil.example/localhost",
      "128.0.0.1",
      "[::2]",
      "0.0.0.0:4010",
    ]) {
      expect(isLoopbackHost(host), String(host)).toBe(false);
    }
  });
});

describe("/sandbox/* behind a loopback Host", () => {
  it("answers a loopback Host and refuses any other with 403 { message, status }", async () => {
    expect((await getWithHost("/sandbox/emails", `localhost:${sandbox.port}`)).status).toBe(200);
    expect((await getWithHost("/sandbox/jwks.json", `127.0.0.1:${sandbox.port}`)).status).toBe(200);
    for (const path of ["/sandbox/emails", "/sandbox/sms", "/sandbox/jwks.json", "/sandbox/stats"]) {
      const refused = await getWithHost(path, "rebound.example");
      expect(refused.status, path).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ message: expect.stringContaining("loopback"), status: 403 });
    }
  });

  it("finding 14: every /sandbox route, whatever its method, answers a non-loopback Host 403 and does nothing", async () => {
    const app = createSandboxApp(createSandboxRuntime(resolveSandboxOptions()));
    const routes = app.routes.filter((route) => route.method !== "ALL" && route.path.startsWith("/sandbox/"));
    const paths = routes.map((route) => route.path);
    for (const path of ["/sandbox/authorize/approve", "/sandbox/transactions", "/sandbox/reset"]) {
      expect(paths).toContain(path);
    }
    const { access_token } = await passwordToken(sandbox);
    const challenge = await callApi(sandbox, "POST", "/api/user/mfa/challenges", access_token);
    const { id } = (await challenge.json()) as { id: string };
    for (const route of routes) {
      const path = route.path.replace(/:[A-Za-z]+/g, id);
      for (const host of ["rebound.example", `rebound.example:${sandbox.port}`, "10.0.0.1"]) {
        const refused = await requestWithHost(route.method, path, host);
        expect(refused.status, `${route.method} ${path} Host ${host}`).toBe(403);
        expect(JSON.parse(refused.body)).toEqual({
          message: expect.stringContaining("loopback"),
          status: 403,
        });
      }
    }
    // Spellings of the same paths reach no handler either.
    for (const path of [
      "/sandbox/sms/",
      "/%73andbox/sms",
      "/api/../sandbox/sms",
      "/sandbox/./sms",
      "//sandbox/sms",
    ]) {
      expect([403, 404], path).toContain((await getWithHost(path, "rebound.example")).status);
    }
    // Nothing happened: the challenge is still pending and the sandbox was not reset.
    const read = await callApi(sandbox, "GET", `/api/user/mfa/challenges/${id}`, access_token);
    expect(await read.json()).toMatchObject({ status: "PENDING" });
  });

  it("leaves the Kontist API alone", async () => {
    const answer = await getWithHost("/api/user/mfa/challenges", "api.example");
    expect(answer.status).toBe(401);
  });
});
