import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callApi, demo, postToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
const lines: string[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: (line) => lines.push(line) });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  lines.length = 0;
});

const arm = (body: unknown) =>
  fetch(`${sandbox.url}/sandbox/faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
/** The log lines of token requests. */
const tokenLines = () => lines.filter((line) => line.startsWith("POST /api/oauth/token "));
const faults = async () => (await fetch(`${sandbox.url}/sandbox/faults`)).json();
const stats = async () => (await fetch(`${sandbox.url}/sandbox/stats`)).json();
const passwordGrant = () =>
  postToken(sandbox, {
    grant_type: "password",
    username: demo.email,
    password: demo.password,
    client_id: demo.clientId,
    client_secret: demo.clientSecret,
  });

describe("POST /sandbox/faults", () => {
  it("arms an error fault: the next request answers 500 { message, status }, the one after is normal", async () => {
    const armed = await arm({ route: "POST /api/oauth/token", fault: "error" });
    expect(armed.status).toBe(201);
    expect(await armed.json()).toEqual({
      id: expect.any(String),
      route: "POST /api/oauth/token",
      fault: "error",
      times: 1,
      delayMs: 0,
      status: 500,
    });
    const failed = await passwordGrant();
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: expect.any(String), status: 500 });
    expect((await passwordGrant()).status).toBe(200);
    // The faulted request counts, in requests and in grants.
    expect(await stats()).toEqual({
      requests: { "POST /api/oauth/token": 2 },
      grants: { password: 2 },
    });
    expect(tokenLines()[0]).toMatch(/^POST \/api\/oauth\/token 500 \d+ms \(injected error\)$/);
  });

  it("fails `times` requests with the given status, before authentication", async () => {
    await arm({ route: "GET /api/user/mfa/challenges", fault: "error", times: 2, status: 503 });
    expect(await faults()).toEqual([expect.objectContaining({ times: 2, status: 503 })]);
    expect((await callApi(sandbox, "GET", "/api/user/mfa/challenges", undefined)).status).toBe(503);
    expect(await faults()).toEqual([expect.objectContaining({ times: 1 })]);
    expect((await callApi(sandbox, "GET", "/api/user/mfa/challenges", undefined)).status).toBe(503);
    expect(await faults()).toEqual([]);
    expect((await callApi(sandbox, "GET", "/api/user/mfa/challenges", undefined)).status).toBe(401);
  });

  it("applies faults for one route in the order they were armed, and leaves other routes alone", async () => {
    await arm({ route: "POST /api/oauth/token", fault: "error", status: 502 });
    await arm({ route: "POST /api/oauth/token", fault: "error", status: 504 });
    expect((await passwordGrant()).status).toBe(502);
    expect((await callApi(sandbox, "GET", "/api/user/mfa/challenges", undefined)).status).toBe(401);
    expect((await passwordGrant()).status).toBe(504);
    expect((await passwordGrant()).status).toBe(200);
  });

  it("delays a request by delayMs and then answers it normally", async () => {
    await arm({ route: "POST /api/oauth/token", fault: "delay", delayMs: 300 });
    const started = performance.now();
    const response = await passwordGrant();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(200);
    expect(tokenLines()[0]).toMatch(/^POST \/api\/oauth\/token 200 \d+ms \(injected delay\)$/);
  });

  it("delays by 1000 ms by default; a client that gives up does not stall the sandbox", async () => {
    await arm({ route: "POST /api/oauth/token", fault: "delay" });
    expect(await faults()).toEqual([expect.objectContaining({ delayMs: 1000 })]);
    const aborted = fetch(`${sandbox.url}/api/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password" }),
      signal: AbortSignal.timeout(100),
    });
    await expect(aborted).rejects.toThrow();
    expect((await passwordGrant()).status).toBe(200);
  });

  it("resets the connection without an answer, and still counts the request and its grant", async () => {
    await arm({ route: "POST /api/oauth/token", fault: "reset" });
    const error = await passwordGrant().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((await passwordGrant()).status).toBe(200);
    expect(await stats()).toEqual({ requests: { "POST /api/oauth/token": 2 }, grants: { password: 2 } });
    expect(tokenLines()[0]).toMatch(/^POST \/api\/oauth\/token reset \d+ms \(injected reset\)$/);
  });

  it("resets after delayMs when asked", async () => {
    await arm({ route: "POST /api/graphql", fault: "reset", delayMs: 200 });
    const started = performance.now();
    await expect(fetch(`${sandbox.url}/api/graphql`, { method: "POST" })).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("refuses an unknown route, a /sandbox route, a bad kind or count with 400", async () => {
    for (const body of [
      { route: "POST /api/nothing", fault: "error" },
      { route: "GET /sandbox/stats", fault: "error" },
      { route: "GET /sandbox/jwks.json", fault: "error" },
      { route: "GET /api/user/devices", fault: "error" },
      { route: "DELETE /api/user/devices/{deviceId}", fault: "error" },
      { route: "POST /api/oauth/token", fault: "explode" },
      { route: "POST /api/oauth/token", fault: "error", times: 0 },
      { route: "POST /api/oauth/token", fault: "delay", delayMs: 600_000 },
      { fault: "error" },
    ]) {
      const response = await arm(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toEqual({ message: expect.any(String), status: 400 });
    }
    expect(await faults()).toEqual([]);
  });
});

describe("DELETE /sandbox/faults and POST /sandbox/reset", () => {
  it("disarm every fault", async () => {
    await arm({ route: "POST /api/oauth/token", fault: "error", times: 5 });
    const cleared = await fetch(`${sandbox.url}/sandbox/faults`, { method: "DELETE" });
    expect(cleared.status).toBe(204);
    expect(await faults()).toEqual([]);
    expect((await passwordGrant()).status).toBe(200);

    await arm({ route: "POST /api/oauth/token", fault: "reset", times: 5 });
    sandbox.reset();
    expect(await faults()).toEqual([]);
    expect((await passwordGrant()).status).toBe(200);
  });
});

describe("closing with a delayed request in flight", () => {
  it("closes promptly", async () => {
    const own = await startSandbox({ port: 0 });
    await fetch(`${own.url}/sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ route: "POST /api/oauth/token", fault: "delay", delayMs: 60_000 }),
    });
    const pending = fetch(`${own.url}/api/oauth/token`, { method: "POST" }).catch(() => "failed");
    await sleep(50);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBe("failed");
  });
});
