import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../index";
import { isLoopbackHost } from "./loopbackHostOnly";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

/** A GET with a `Host` header of our choosing (fetch does not let a caller set it). */
function getWithHost(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: sandbox.port, path, headers: { Host: host } },
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

  it("leaves the Kontist API alone", async () => {
    const answer = await getWithHost("/api/user/mfa/challenges", "api.example");
    expect(answer.status).toBe(401);
  });
});
