import { connect, createServer, type Socket } from "node:net";

// A loopback TCP relay in front of the sandbox, to break the network under a client: every connection is
// piped to the sandbox byte for byte (HTTP, WebSocket upgrades and frames alike) until `cut()` resets them
// all, as a dropped Wi-Fi or a NAT that forgot the connection does.

/** A running {@link startTcpRelay}. */
export interface TcpRelay {
  /** `http://127.0.0.1:<port>`: use it as the client's `baseUrl`. */
  url: string;
  /** Connections relayed so far. */
  readonly connections: number;
  /** Resets every open connection (TCP RST to the client, the sandbox's side destroyed); new ones are relayed. */
  cut(): void;
  /** Stops listening and resets the open connections. */
  close(): Promise<void>;
}

/**
 * Starts a relay on a free loopback port to `upstream` (`http://127.0.0.1:<port>`, e.g. a sandbox's url).
 *
 * @example
 * const relay = await startTcpRelay(sandbox.url);
 * const client = new Client({ baseUrl: relay.url, clientId: "demo-client", clientSecret: "demo-secret" });
 * relay.cut(); // the client's connections break
 * await relay.close();
 */
export async function startTcpRelay(upstream: string): Promise<TcpRelay> {
  const target = new URL(upstream);
  const open = new Set<{ client: Socket; server: Socket }>();
  let connections = 0;
  const server = createServer((client) => {
    connections += 1;
    const pair = { client, server: connect(Number(target.port), target.hostname) };
    open.add(pair);
    const end = () => {
      open.delete(pair);
      pair.client.destroy();
      pair.server.destroy();
    };
    for (const socket of [pair.client, pair.server]) socket.on("error", end).on("close", end);
    pair.client.pipe(pair.server).pipe(pair.client);
  });
  const cut = () => {
    for (const pair of [...open]) {
      open.delete(pair);
      pair.client.resetAndDestroy();
      pair.server.destroy();
    }
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the relay has no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    cut,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        cut();
      }),
  };
}
