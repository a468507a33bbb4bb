import { createServer } from "node:net";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { NetworkError } from "../errors/NetworkError";
import { TimeoutError } from "../errors/TimeoutError";
import { Transport } from "./Transport";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("Transport", () => {
  it("sends JSON and form bodies with headers, and reads the whole answer", async () => {
    server = await startLoopbackServer((request, response) =>
      sendJson(response, 201, { echo: request.body }),
    );
    const transport = new Transport({ baseUrl: `${server.url}/`, timeout: 2_000 });
    const json = await transport.send({
      method: "POST",
      path: "/api/x",
      json: { a: 1 },
      headers: { "x-y": "z" },
    });
    expect(json).toEqual({
      status: 201,
      statusText: "Created",
      text: JSON.stringify({ echo: '{"a":1}' }),
      source: "POST /api/x",
      secrets: [],
    });
    await transport.send({ method: "POST", path: "/api/y", form: new URLSearchParams({ b: "2 3" }) });
    const [first, second] = server.requests;
    expect(first?.headers["content-type"]).toBe("application/json");
    expect(first?.headers["x-y"]).toBe("z");
    expect(first?.headers.accept).toBe("application/json");
    expect(second?.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(second?.body).toBe("b=2+3");
  });

  it("keeps a path prefix of the base URL", async () => {
    server = await startLoopbackServer((_, response) => void response.writeHead(204).end());
    await new Transport({ baseUrl: `${server.url}/prefix`, timeout: 2_000 }).send({
      method: "GET",
      path: "/api/z",
    });
    expect(server.requests[0]?.url).toBe("/prefix/api/z");
  });

  it("does not throw for HTTP error statuses and never retries", async () => {
    server = await startLoopbackServer((_, response) =>
      sendJson(response, 503, { message: "down", status: 503 }),
    );
    const answer = await new Transport({ baseUrl: server.url, timeout: 2_000 }).send({
      method: "GET",
      path: "/a",
    });
    expect(answer.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("throws TimeoutError for a slow server and aborts the request", async () => {
    server = await startLoopbackServer(() => {}); // never answers
    const transport = new Transport({ baseUrl: server.url, timeout: 150 });
    const started = Date.now();
    const error = await transport.send({ method: "POST", path: "/api/oauth/token" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isKontistAuthError(error, "TIMEOUT")).toBe(true);
    expect((error as TimeoutError).message).toBe(
      "POST /api/oauth/token timed out after 150 ms and was aborted",
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(() => server?.abortedRequests()).toBe(1);
  });

  it("times out while the body is still arriving", async () => {
    server = await startLoopbackServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"access_token":'); // and nothing more
    });
    const transport = new Transport({ baseUrl: server.url, timeout: 150 });
    await expect(transport.send({ method: "GET", path: "/slow" })).rejects.toBeInstanceOf(TimeoutError);
    await expect.poll(() => server?.abortedRequests()).toBe(1);
  });

  it("times out even with a fetch that ignores the abort signal", async () => {
    const hangingFetch = (() => new Promise<Response>(() => {})) as typeof fetch;
    const transport = new Transport({ baseUrl: "http://127.0.0.1:9", timeout: 100, fetch: hangingFetch });
    await expect(transport.send({ method: "GET", path: "/x" })).rejects.toBeInstanceOf(TimeoutError);
  });

  it("throws NetworkError when the connection is reset", async () => {
    server = await startLoopbackServer((_, response, raw) => {
      raw.socket.resetAndDestroy();
      response.destroy();
    });
    const error = await new Transport({ baseUrl: server.url, timeout: 2_000 })
      .send({ method: "POST", path: "/api/oauth/token" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(isKontistAuthError(error, "NETWORK_ERROR")).toBe(true);
    expect((error as NetworkError).message).toMatch(/^POST \/api\/oauth\/token failed: network error/);
    expect((error as NetworkError).cause).toBeDefined();
  });

  it("throws NetworkError when the connection breaks while the body is read", async () => {
    server = await startLoopbackServer((_, response, raw) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"access_token":"', () => raw.socket.destroy());
    });
    const transport = new Transport({ baseUrl: server.url, timeout: 2_000 });
    await expect(transport.send({ method: "GET", path: "/cut" })).rejects.toBeInstanceOf(NetworkError);
  });

  it("throws NetworkError when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const error = await new Transport({ baseUrl: `http://127.0.0.1:${port}`, timeout: 2_000 })
      .send({ method: "GET", path: "/" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain("ECONNREFUSED");
  });

  it("sends through an injected fetch", async () => {
    server = await startLoopbackServer((_, response) => sendJson(response, 200, {}));
    const seen: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(input instanceof Request ? `${input.method} ${new URL(input.url).pathname}` : String(input));
      return fetch(input, init);
    };
    await new Transport({ baseUrl: server.url, timeout: 2_000, fetch: countingFetch }).send({
      method: "DELETE",
      path: "/api/user/devices/1",
    });
    expect(seen).toEqual(["DELETE /api/user/devices/1"]);
  });

  it("passes only non-empty secrets on", async () => {
    server = await startLoopbackServer((_, response) => void response.writeHead(204).end());
    const answer = await new Transport({ baseUrl: server.url, timeout: 2_000 }).send({
      method: "GET",
      path: "/",
      secrets: ["s3cret", undefined, ""],
    });
    expect(answer.secrets).toEqual(["s3cret"]);
  });
});

describe("Transport with a signal", () => {
  it("aborts the request when the signal fires and rejects with its reason", async () => {
    server = await startLoopbackServer(() => {}); // never answers
    const transport = new Transport({ baseUrl: server.url, timeout: 5_000 });
    const controller = new AbortController();
    const sending = transport
      .send({ method: "GET", path: "/a", signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(() => server?.requests.length).toBe(1);
    const reason = new Error("cancelled");
    controller.abort(reason);
    expect(await sending).toBe(reason);
    await expect.poll(() => server?.abortedRequests()).toBe(1);
  });

  it("sends nothing when the signal has already fired", async () => {
    server = await startLoopbackServer((_, response) => sendJson(response, 200, {}));
    const transport = new Transport({ baseUrl: server.url, timeout: 5_000 });
    await expect(
      transport.send({ method: "GET", path: "/a", signal: AbortSignal.abort("early") }),
    ).rejects.toBe("early");
    expect(server.requests).toHaveLength(0);
  });
});

describe("finding 5: redirects", () => {
  let evil: LoopbackServer | undefined;
  afterEach(async () => {
    await evil?.close();
    evil = undefined;
  });

  it.each([301, 302, 303, 307, 308])(
    "finding 5: does not follow a cross-origin %i: a typed error, and the other origin receives nothing",
    async (status) => {
      evil = await startLoopbackServer((_, response) => sendJson(response, 200, { access_token: "x" }));
      const target = `${evil.url}/steal`;
      server = await startLoopbackServer(
        (_, response) => void response.writeHead(status, { location: target }).end(),
      );
      const transport = new Transport({ baseUrl: server.url, timeout: 2_000 });
      const error = await transport
        .send({
          method: "POST",
          path: "/api/oauth/token",
          form: new URLSearchParams({ grant_type: "password", password: "hunter2-secret" }),
          secrets: ["hunter2-secret"],
        })
        .catch((e: unknown) => e);
      expect(isKontistAuthError(error, "UNEXPECTED_REDIRECT")).toBe(true);
      expect(error).toMatchObject({ status });
      expect((error as Error).message).not.toContain(evil.url);
      expect(server.requests).toHaveLength(1);
      expect(evil.requests).toHaveLength(0);
    },
  );
});
