import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { SandboxPublicJwk } from "../jwt/createSigningKey";
import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
import type { SandboxOptions } from "../options/SandboxOptions";
import { measureState, type SandboxStateSize } from "../state/measureState";
import { pruneExpiredState } from "../state/pruneExpiredState";
import { serveGraphQLOverWebSocket } from "../subscriptions/serveGraphQLOverWebSocket";
import { createSandboxTestClient } from "../testClient/createSandboxTestClient";
import type { SandboxTestClient } from "../testClient/SandboxTestClient";
import { createSandboxApp } from "./createSandboxApp";
import { createSandboxRuntime } from "./createSandboxRuntime";

/**
 * A sandbox listening on a port, as {@link startSandbox} resolves it.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 *
 * const sandbox: RunningSandbox = await startSandbox();
 * const client = new Client({ baseUrl: sandbox.url, clientId: "demo-client", clientSecret: "demo-secret" });
 * const otp = await sandbox.test.latestOtp();
 */
export interface RunningSandbox {
  /** The base URL, e.g. `http://127.0.0.1:4010`; use it as the client's `baseUrl`. */
  readonly url: string;
  /** The port it listens on (the one picked when `port` was `0`). */
  readonly port: number;
  /** The interface it listens on. */
  readonly host: string;
  /** The public key access tokens are signed with (also at `GET /sandbox/jwks.json`). */
  readonly publicJwk: SandboxPublicJwk;
  /**
   * The typed client of this sandbox's test-support routes: outboxes, the latest OTP, approving or denying
   * push challenges, confirming binding requests, transactions, stats, faults, reset (see
   * {@link SandboxTestClient}).
   */
  readonly test: SandboxTestClient;
  /** Back to the seeded state, at once and in process; `test.reset()` does the same over HTTP. */
  reset(): void;
  /**
   * Drops expired state now, as the `pruneInterval` timer does (refresh tokens, codes, OTPs, challenges,
   * binding requests, login sessions, outbox messages and rate-limit windows past their life).
   */
  prune(): void;
  /**
   * How many entries the sandbox holds, per area (refresh tokens, devices, challenges, …) and in total:
   * in process only, for tests and benchmarks that check memory settles back once state expires.
   */
  stateSize(): SandboxStateSize;
  /**
   * Stops listening and pruning, and drops open connections, GraphQL WebSocket connections included
   * (closed with 1001 Going away, cut off after 500 ms); resolves once closed. Safe to call twice.
   */
  close(): Promise<void>;
}

const wildcardHosts = new Set(["0.0.0.0", "::", ""]);

function baseUrl(host: string, port: number): string {
  const reachable = wildcardHosts.has(host) ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Starts a local Kontist auth server: the OAuth2 authorization and token endpoints, device binding, push
 * MFA, GraphQL (queries and mutations over HTTP, the `newTransaction` subscription over WebSocket with
 * graphql-ws, both at `/api/graphql`) and the `/sandbox/` test-support endpoints (SMS outbox, push
 * answers, transactions, stats, fault injection, reset; typed as `sandbox.test`), with a fresh ES256
 * signing key and the seeded clients and users.
 *
 * @param options - see {@link SandboxOptions}; `port: 0` (the default) picks a free port.
 * @returns once it listens.
 * @throws {RangeError} for invalid options; rejects with the listen error (e.g. `EADDRINUSE`).
 *
 * @example
 * const sandbox = await startSandbox({ port: 0, otpTtl: 2 });
 * const response = await fetch(`${sandbox.url}/api/oauth/token`, {
 *   method: "POST",
 *   body: new URLSearchParams({ grant_type: "password", username: "demo@example.com",
 *     password: "demo-password", client_id: "demo-client", client_secret: "demo-secret" }),
 * });
 * await sandbox.close();
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const config = resolveSandboxOptions(options);
  let url = "";
  const runtime = createSandboxRuntime(config, () => url);
  const { store } = runtime;
  const app = createSandboxApp(runtime);
  const requestTimeout = Math.max(1, Math.round(config.requestTimeout * 1000));
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: config.host,
    // A request (headers and body) must arrive within requestTimeout, else 408 and the connection closed;
    // Node checks every connectionsCheckingInterval, so check often enough to keep close to the timeout.
    serverOptions: {
      requestTimeout,
      headersTimeout: requestTimeout,
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.round(requestTimeout / 4))),
      // Idle keep-alive connections live 65 s, as behind a load balancer, not Node's 5 s: under load (the
      // event loop busy for seconds) a 5 s idle timer fires before a request already waiting on the socket
      // is read, and the connection is reset under a POST that cannot be retried.
      keepAliveTimeout: 65_000,
    },
  }) as Server;
  const webSocket = serveGraphQLOverWebSocket(server, runtime);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(config.port, config.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = baseUrl(config.host, port);
  const prune = () => pruneExpiredState(store, config, runtime.now());
  // setInterval takes at most 2^31 - 1 ms; the timer never keeps the process alive.
  const pruning = setInterval(prune, Math.min(config.pruneInterval * 1000, 2 ** 31 - 1));
  pruning.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host: config.host,
    publicJwk: runtime.signingKey.publicJwk,
    test: createSandboxTestClient(url),
    reset: () => store.reset(),
    prune,
    stateSize: () => measureState(store),
    close() {
      closing ??= (async () => {
        clearInterval(pruning);
        // WebSocket connections first: an upgraded socket is no HTTP connection closeAllConnections() ends.
        const sockets = webSocket.close();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
        await sockets;
      })();
      return closing;
    },
  };
}
