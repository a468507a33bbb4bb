import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { passwordToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
let accessToken: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  accessToken = (await passwordToken(sandbox)).access_token;
});
afterAll(() => sandbox.close());

async function expectApiError(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await response.json()).toEqual({ message: expect.any(String), status });
}

describe("bad requests are JSON 4xx, never 500", () => {
  it("answers an unknown route with 404 JSON", async () => {
    await expectApiError(await fetch(`${sandbox.url}/`), 404);
    await expectApiError(await fetch(`${sandbox.url}/api/user/devices/a/b/c/d`, { method: "POST" }), 404);
  });

  it("treats a trailing slash as the same route, as Express-style servers do", async () => {
    const response = await fetch(`${sandbox.url}/api/user/mfa/challenges/`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(Array.isArray(await response.json())).toBe(true);
    await expectApiError(await fetch(`${sandbox.url}/api/user/devices/`, { method: "PUT" }), 405);
  });

  it("serves no REST device list or delete (Kontist has GraphQL listBoundDevices and deleteBoundDevice)", async () => {
    const headers = { authorization: `Bearer ${accessToken}` };
    const list = await fetch(`${sandbox.url}/api/user/devices`, { headers });
    expect(list.headers.get("allow")).toBe("POST");
    await expectApiError(list, 405);
    await expectApiError(
      await fetch(`${sandbox.url}/api/user/devices/some-id`, { method: "DELETE", headers }),
      404,
    );
  });

  it("answers a known route with the wrong method with 405 JSON and Allow", async () => {
    const put = await fetch(`${sandbox.url}/api/user/devices`, { method: "PUT" });
    expect(put.headers.get("allow")).toBe("POST");
    await expectApiError(put, 405);
    const get = await fetch(`${sandbox.url}/api/user/devices/some-id/verify`);
    expect(get.headers.get("allow")).toBe("POST");
    await expectApiError(get, 405);
    await expectApiError(await fetch(`${sandbox.url}/sandbox/reset`), 405);
  });

  it("answers JSON that is not an object with 400 naming the body", async () => {
    for (const body of ["null", "[]", '"text"', "42"]) {
      const response = await fetch(`${sandbox.url}/api/user/devices`, {
        method: "POST",
        headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        message: expect.stringContaining("the body expected object"),
        status: 400,
      });
    }
  });

  it("never echoes a received value in a validation error", async () => {
    const response = await fetch(`${sandbox.url}/api/user/devices`, {
      method: "POST",
      headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Pixel", key: "04SECRETSECRET" }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain("SECRET");
  });

  it("answers a body over 64 KiB with 413 JSON, with or without Content-Length", async () => {
    const big = JSON.stringify({ name: "x".repeat(70_000), key: createTestDeviceKey().keyHex });
    const headers = { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" };
    await expectApiError(
      await fetch(`${sandbox.url}/api/user/devices`, { method: "POST", headers, body: big }),
      413,
    );

    const chunks = [big.slice(0, 40_000), big.slice(40_000)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const chunked = await fetch(`${sandbox.url}/api/user/devices`, {
      method: "POST",
      headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectApiError(chunked, 413);
  });

  it("answers a CORS preflight from a loopback origin, and none from elsewhere", async () => {
    const preflight = (origin: string) =>
      fetch(`${sandbox.url}/api/oauth/token`, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
      });
    const local = await preflight("http://localhost:5173");
    expect(local.status).toBe(204);
    expect(local.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const remote = await preflight("https://evil.example");
    expect(remote.headers.get("access-control-allow-origin")).toBeNull();
  });
});
