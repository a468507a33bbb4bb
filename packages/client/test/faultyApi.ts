import type { ServerResponse } from "node:http";
import { paths } from "@kontist-auth/protocol";
import { Client } from "../src/Client";
import type { ClientOptions } from "../src/options/ClientOptions";
import { fakeJwt } from "./fakeJwt";
import { type LoopbackServer, type RecordedRequest, sendJson, startLoopbackServer } from "./loopbackServer";

// A loopback API that fails requests as a struggling server or network does, for the client's retry tests:
// real HTTP on 127.0.0.1, exact status codes and headers (`Retry-After`, `Date`) the sandbox does not send.

/** How a failing request fails. */
export type ApiFault =
  /** HTTP 503 with a `{ message, status }` body. */
  | "503"
  /** HTTP 429 with `Retry-After: 0`. */
  | "429"
  /** The connection is destroyed once the request has arrived: no answer. */
  | "reset"
  /** No answer at all: the client's `timeout` passes. */
  | "timeout";

export const apiFaults: readonly ApiFault[] = ["503", "429", "reset", "timeout"];

/** The error code a call fails with when every attempt meets `fault`. */
export const codeOfFault: Record<ApiFault, string> = {
  "503": "HTTP_ERROR",
  "429": "HTTP_ERROR",
  reset: "NETWORK_ERROR",
  timeout: "TIMEOUT",
};

/** A {@link startFaultyApi} server, and a client of it holding a valid token and a refresh token. */
export interface FaultyApi {
  server: LoopbackServer;
  client: Client;
  /** How many requests arrived, or those whose `METHOD /path` is `route`. */
  received(route?: string): number;
  /** When each request arrived (`Date.now()`), oldest first. */
  arrivals: number[];
}

/** How many requests fail, and how. */
export interface FaultyApiOptions {
  fault: ApiFault;
  /** How many requests fail, from the first; default all. */
  failures?: number;
  /** The client's options besides `baseUrl`; default `timeout` 250 ms, quick retries (10 ms, at most 20). */
  client?: Partial<ClientOptions>;
  /** Answers a failing request instead of `fault`, e.g. with its own headers. */
  fail?: (response: ServerResponse) => void;
}

/**
 * Starts a loopback API whose first `failures` requests fail with `fault` (all of them by default), and
 * whose other requests are answered as the client expects: an empty list of push challenges, a GraphQL
 * answer for the documents of the tests, a token for the token endpoint, 204 for the rest.
 */
export async function startFaultyApi(options: FaultyApiOptions): Promise<FaultyApi> {
  const { fault, failures = Number.POSITIVE_INFINITY } = options;
  const arrivals: number[] = [];
  const server = await startLoopbackServer((request, response, raw) => {
    arrivals.push(Date.now());
    if (arrivals.length <= failures) {
      if (options.fail) return options.fail(response);
      if (fault === "503") return sendJson(response, 503, { message: "Service Unavailable", status: 503 });
      if (fault === "429") {
        response.setHeader("retry-after", "0");
        return sendJson(response, 429, { message: "Too Many Requests", status: 429 });
      }
      if (fault === "reset") return void raw.socket.destroy();
      return; // timeout: no answer; the server's close() ends the connection
    }
    answerNormally(request, response);
  });
  const client = new Client({
    baseUrl: server.url,
    clientId: "c",
    clientSecret: "s",
    timeout: 250,
    retry: { baseDelay: 10, maxDelay: 20 },
    ...options.client,
  });
  client.auth.tokenManager.setToken(
    fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 }),
    "rt-1",
  );
  const routeOf = (request: RecordedRequest) => `${request.method} ${request.url}`;
  return {
    server,
    client,
    arrivals,
    received: (route) =>
      route === undefined
        ? server.requests.length
        : server.requests.filter((r) => routeOf(r) === route).length,
  };
}

function answerNormally(request: RecordedRequest, response: ServerResponse): void {
  if (request.method === "GET" && request.url === paths.mfaChallenges) {
    sendJson(response, 200, []);
  } else if (request.url === paths.token) {
    sendJson(response, 200, {
      access_token: fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000, jti: "renewed" }),
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: "rt-2",
    });
  } else if (request.url === paths.graphQL) {
    const { query = "" } = JSON.parse(request.body || "{}") as { query?: string };
    const data = query.includes("listBoundDevices")
      ? { listBoundDevices: [] }
      : { viewer: { email: "demo@example.com" } };
    sendJson(response, 200, { data });
  } else {
    response.writeHead(204).end();
  }
}
