import type { AddressInfo } from "node:net";
import {
  GraphQLError,
  NetworkError,
  NoTokenError,
  TimeoutError,
  TokenStoreError,
} from "@kontist-auth/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createExampleServer, type ExampleClient } from "./createServer";

// The routes and the error mapping, with a stub in place of the SDK client (the fleet test in test/ runs
// the real thing against the sandbox and Redis).

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
  vi.restoreAllMocks();
});

async function serve(rawQuery: (query: string) => Promise<unknown>) {
  const client = { graphQL: { rawQuery } } as unknown as ExampleClient;
  const server = createExampleServer({ client });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const { port } = server.address() as AddressInfo;
  return async (path: string, method = "GET") => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return { status: response.status, body: await response.json() };
  };
}

describe("createExampleServer", () => {
  it("answers /healthz without calling the API, /me and /account with what the API returned", async () => {
    const rawQuery = vi.fn(async (query: string) =>
      query.includes("mainAccount")
        ? { viewer: { mainAccount: { iban: "DE00", balance: 42 } } }
        : { viewer: { id: "u1", email: "demo@example.com" } },
    );
    const get = await serve(rawQuery);
    expect(await get("/healthz")).toEqual({ status: 200, body: { ok: true } });
    expect(rawQuery).not.toHaveBeenCalled();
    expect(await get("/me")).toEqual({ status: 200, body: { id: "u1", email: "demo@example.com" } });
    expect(await get("/account")).toEqual({ status: 200, body: { iban: "DE00", balance: 42 } });
  });

  it("answers unknown paths 404 and other methods 405, as JSON", async () => {
    const get = await serve(async () => ({}));
    expect(await get("/nope")).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
    expect(await get("/me", "POST")).toMatchObject({ status: 405, body: { code: "METHOD_NOT_ALLOWED" } });
  });

  it.each([
    [
      new GraphQLError(
        [
          {
            message: "needs a confirmed token",
            extensions: { status: 403, type: "http://www.iana.org/assignments/http-status-codes#403" },
          },
        ],
        {},
        "POST",
      ),
      403,
      "CONFIRMATION_REQUIRED",
    ],
    [new GraphQLError([{ message: "Cannot query field" }], undefined, "POST"), 502, "GRAPHQL_ERROR"],
    [new NoTokenError("rawQuery()"), 503, "NO_TOKEN"],
    [new NetworkError("POST /api/graphql", new TypeError("fetch failed")), 502, "NETWORK_ERROR"],
    [new TokenStoreError("TOKEN_STORE_ERROR", "Redis could not be reached"), 503, "TOKEN_STORE_ERROR"],
    [new TimeoutError("POST /api/graphql", 10_000), 504, "TIMEOUT"],
    [new Error("a bug"), 500, "INTERNAL_ERROR"],
  ])("maps %s to %i %s, and logs no more than the SDK's message", async (error, status, code) => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const get = await serve(async () => {
      throw error;
    });
    const answer = await get("/account");
    expect(answer).toEqual({ status, body: { code, message: expect.any(String) } });
    expect(logged).toHaveBeenCalledWith(expect.stringContaining(`GET /account → ${status} ${code}`));
  });
});
