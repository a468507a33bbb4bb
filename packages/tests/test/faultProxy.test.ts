import { request as httpRequest } from "node:http";
import { paths } from "@kontist-auth/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type FaultProxy, requestOperation, startFaultProxy } from "./faultProxy";
import { confidentialClient, demoUser, type Sandbox, startSandbox } from "./sandboxSupport";

// The fault proxy's own behaviour, on the wire: plain fetch and node:http against a real sandbox behind it.

let sandbox: Sandbox;
let proxy: FaultProxy;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  proxy = await startFaultProxy(sandbox.url);
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});
afterEach(() => proxy.clear());

const challengesRoute = `GET ${paths.mfaChallenges}`;
const sandboxCount = async (route: string) => (await sandbox.test.stats()).requests[route] ?? 0;
const passwordForm = () =>
  new URLSearchParams({
    grant_type: "password",
    username: demoUser.username,
    password: demoUser.password,
    client_id: confidentialClient.clientId,
    client_secret: confidentialClient.clientSecret,
  });
const getChallenges = (init: RequestInit = {}) => fetch(`${proxy.url}${paths.mfaChallenges}`, init);

describe("without a fault", () => {
  it("relays requests and answers, bodies intact, several on one kept-alive connection", async () => {
    const before = proxy.log.length;
    const token = await fetch(`${proxy.url}${paths.token}`, { method: "POST", body: passwordForm() });
    expect(token.status).toBe(200);
    expect(token.headers.get("content-type")).toMatch(/application\/json/);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const listed = await getChallenges({ headers: { authorization: `Bearer ${accessToken}` } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual([]);
    const refused = await getChallenges();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ status: 401 });
    expect(
      proxy.log
        .slice(before)
        .map(({ method, path, forwarded, status, fault }) => ({ method, path, forwarded, status, fault })),
    ).toEqual([
      { method: "POST", path: paths.token, forwarded: true, status: 200, fault: undefined },
      { method: "GET", path: paths.mfaChallenges, forwarded: true, status: 200, fault: undefined },
      { method: "GET", path: paths.mfaChallenges, forwarded: true, status: 401, fault: undefined },
    ]);
  });

  it("reads a chunked request body", async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${proxy.url}${paths.token}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
      });
      request.on("response", (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on("error", reject);
      const form = passwordForm().toString();
      request.write(form.slice(0, 10));
      request.end(form.slice(10));
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ token_type: "Bearer" });
  });

  it("tunnels a WebSocket upgrade (GraphQL subscriptions)", async () => {
    const token = await fetch(`${proxy.url}${paths.token}`, { method: "POST", body: passwordForm() });
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const socket = new WebSocket(
      `${proxy.url.replace("http", "ws")}${paths.graphQL}`,
      "graphql-transport-ws",
    );
    const first = await new Promise<unknown>((resolve, reject) => {
      socket.on("open", () =>
        socket.send(
          JSON.stringify({ type: "connection_init", payload: { Authorization: `Bearer ${accessToken}` } }),
        ),
      );
      socket.on("message", (data: Buffer) => resolve(JSON.parse(data.toString())));
      socket.on("error", reject);
    });
    socket.close();
    expect(first).toEqual({ type: "connection_ack" });
  });
});

describe("each fault", () => {
  it("status: answers the status itself; the sandbox sees nothing", async () => {
    const before = await sandboxCount(challengesRoute);
    proxy.inject({ kind: "status", status: 502 });
    const answer = await getChallenges();
    expect(answer.status).toBe(502);
    expect(await answer.json()).toEqual({ message: "Injected fault: HTTP 502", status: 502 });
    expect(await sandboxCount(challengesRoute)).toBe(before);
    expect(proxy.log.at(-1)).toMatchObject({ fault: "status", forwarded: false, status: 502 });
    // The connection stays usable: the next request is relayed.
    expect((await getChallenges()).status).toBe(401);
  });

  it("rateLimit: answers 429 with Retry-After", async () => {
    proxy.inject({ kind: "rateLimit", retryAfter: "7" });
    const answer = await getChallenges();
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("7");
    expect(proxy.log.at(-1)).toMatchObject({ fault: "rateLimit", forwarded: false, status: 429 });
  });

  it("delay: the sandbox answers, the client gets it `ms` later", async () => {
    proxy.inject({ kind: "delay", ms: 300 });
    const started = performance.now();
    const answer = await getChallenges();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(401);
    expect(proxy.log.at(-1)).toMatchObject({ fault: "delay", forwarded: true, status: 401 });
  });

  it("resetBeforeForward: the connection breaks, the sandbox sees nothing", async () => {
    const before = await sandboxCount(challengesRoute);
    proxy.inject({ kind: "resetBeforeForward" });
    await expect(getChallenges()).rejects.toThrow(TypeError);
    expect(await sandboxCount(challengesRoute)).toBe(before);
    expect(proxy.log.at(-1)).toMatchObject({
      fault: "resetBeforeForward",
      forwarded: false,
      status: undefined,
    });
  });

  it("resetAfterForward: the sandbox answered, the client gets a broken connection", async () => {
    const before = await sandboxCount(challengesRoute);
    proxy.inject({ kind: "resetAfterForward" });
    await expect(getChallenges()).rejects.toThrow(TypeError);
    expect(await sandboxCount(challengesRoute)).toBe(before + 1);
    expect(proxy.log.at(-1)).toMatchObject({
      fault: "resetAfterForward",
      forwarded: true,
      status: undefined,
    });
  });

  it("truncate: half the body, then the connection closes short of Content-Length", async () => {
    proxy.inject({ kind: "truncate" });
    const answer = await getChallenges();
    expect(answer.status).toBe(401);
    await expect(answer.text()).rejects.toThrow();
  });

  it("truncate with keepLength false: a complete answer of half the body", async () => {
    const whole = await (await getChallenges()).text();
    proxy.inject({ kind: "truncate", keepLength: false });
    const answer = await getChallenges();
    expect(answer.status).toBe(401);
    const half = await answer.text();
    expect(half).toBe(whole.slice(0, Math.floor(whole.length / 2)));
    expect(half.length).toBe(Math.floor(whole.length / 2));
  });

  it("nonJson: an HTML page in place of the body, status kept", async () => {
    proxy.inject({ kind: "nonJson" });
    const answer = await fetch(`${proxy.url}${paths.token}`, { method: "POST", body: passwordForm() });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/html");
    expect(await answer.text()).toMatch(/^<!DOCTYPE html>/);
    expect(proxy.log.at(-1)).toMatchObject({ fault: "nonJson", forwarded: true, status: 200 });
  });

  it("wrongContentType: the body as it was, labelled text/html", async () => {
    proxy.inject({ kind: "wrongContentType" });
    const answer = await getChallenges();
    expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await answer.json()).toMatchObject({ status: 401 });
  });

  it("holdUntilAborted: the answer is written only after the caller aborted", async () => {
    const before = await sandboxCount(challengesRoute);
    proxy.inject({ kind: "holdUntilAborted" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await expect(getChallenges({ signal: controller.signal })).rejects.toThrow(/abort/i);
    await expect.poll(() => proxy.log.at(-1)?.clientGone).toBe(true);
    expect(proxy.log.at(-1)).toMatchObject({ fault: "holdUntilAborted", forwarded: true, status: undefined });
    expect(await sandboxCount(challengesRoute)).toBe(before + 1);
  });
});

describe("choosing faults", () => {
  it("takes queued faults first, in order and by match, then the rule; clear drops both", async () => {
    proxy.setRule((request) => (request.method === "GET" ? { kind: "status", status: 500 } : undefined));
    proxy.inject({ kind: "status", status: 418 }, (request) => request.method === "POST");
    proxy.inject({ kind: "status", status: 503 });
    expect((await getChallenges()).status).toBe(503);
    expect((await getChallenges()).status).toBe(500);
    expect((await fetch(`${proxy.url}${paths.mfaChallenges}`, { method: "POST" })).status).toBe(418);
    expect((await fetch(`${proxy.url}${paths.mfaChallenges}`, { method: "POST" })).status).toBe(401);
    proxy.clear();
    expect((await getChallenges()).status).toBe(401);
  });

  it("names GraphQL operations by type and first field, token requests by grant", () => {
    const body = (query: string) => Buffer.from(JSON.stringify({ query }));
    expect(requestOperation("POST", paths.graphQL, body("{ viewer { id } }"))).toBe("query viewer");
    expect(
      requestOperation(
        "POST",
        paths.graphQL,
        body("query Q($id: String) { getDeviceBindingRequest(id: $id) { id } }"),
      ),
    ).toBe("query getDeviceBindingRequest");
    expect(
      requestOperation(
        "POST",
        paths.graphQL,
        body('mutation { r: createDeviceBindingRequest(deviceName: "x") { id } }'),
      ),
    ).toBe("mutation createDeviceBindingRequest");
    expect(requestOperation("GET", paths.graphQL, body("{ viewer { id } }"))).toBeUndefined();
    expect(requestOperation("POST", paths.graphQL, Buffer.from("not json"))).toBeUndefined();
    const form = Buffer.from(passwordForm().toString());
    expect(requestOperation("POST", paths.token, form)).toBe("grant password");
  });
});
