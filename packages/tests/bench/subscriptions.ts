import { type Client, type ClientOptions, clientDefaults, type KontistAuthError } from "@kontist-auth/client";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import { sleep } from "@kontist-auth/protocol";
import { type SandboxTransactionRequest, sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { createSandboxTestClient, type SandboxTestClient } from "@kontist-auth/sandbox";
import WebSocket from "ws";
import { LoadSandboxProcess } from "../test/load/LoadSandboxProcess";
import { percentile } from "../test/load/loadFlow";
import { loadUsers } from "../test/load/loadUsers";
import { asUser, loggedIn } from "../test/sandboxSupport";
import { throughput } from "./measure";

// GraphQL subscriptions through @kontist-auth/client: events per second through one WebSocket, and how long
// a subscription is dark after the server closes its connection for an expired token. The sandbox runs in
// a child process (LoadSandboxProcess, as the load and throughput benches do), so its fan-out and the
// client's parsing each have an event loop and a core of their own: in one process the figures would
// measure both programs taking turns on one loop.

const newTransaction = "subscription { newTransaction { id amount name } }";

interface NewTransaction {
  newTransaction: { id: string; amount: number; name: string | null };
}

/**
 * The rows of the events table: subscriptions on the one connection, and transactions published per round.
 * The row with 100 publishes fewer, so that each round delivers as many events as the one with 10.
 */
const fanOuts = [
  { subscriptions: 1, events: 2_000 },
  { subscriptions: 10, events: 1_000 },
  { subscriptions: 100, events: 100 },
];
/** POSTs in flight at once, and measured rounds per row. */
const inFlight = 16;
const rounds = 3;
/** The reconnect sandbox's access-token lifetime (s), the expiries measured, and ms between probes. */
const shortTtl = 2;
const expiries = 10;
const probeInterval = 10;

/** What `pnpm bench` writes above the tables. */
export const subscriptionsDescription = `One client (\`client.graphQL.subscribe\`, graphql-ws over the \`ws\` package) against the sandbox in a child process, both on loopback: the server's fan-out and the client each have an event loop and a core of their own, as in the throughput benches, rather than taking turns on one. **Events per second**: transactions published (\`POST /sandbox/transactions\` from the client's process, ${inFlight} in flight, kept-alive connections), each delivered as \`newTransaction { id amount name }\` to every subscription on the one connection. Delivered events/s counts every delivery from the first publish to the last event received: median and range of ${rounds} rounds (after one warm-up round), a new connection each round, made live by probes first. The sandbox answers the POSTs and fans the events out on one event loop, so publishes/s falls as each event goes to more subscriptions; delivered events/s is what the one connection carried in total. Latency is from sending a POST to its event arriving, over all measured rounds. **Reconnect after an expiry**: the sandbox's access tokens live ${shortTtl} s, and it closes the connection with 4403 when the token expires; the client (\`refreshLeeway: 0\`, so only that close makes it renew) renews once and resubscribes. Timed from the close event on the client's socket to its next socket opening, and to the first event the resubscribed subscription delivers, with a probe transaction booked every ${probeInterval} ms from the close on (so that figure includes up to ${probeInterval} ms of probe spacing and one publish); p50 and max over ${expiries} expiries per client. Refresh grants and WebSocket handshakes counted by the sandbox (\`/sandbox/stats\`) per expiry.`;

/** Books a transaction; resolves once the sandbox answered 201. */
type Publish = (request: SandboxTransactionRequest) => Promise<void>;

/**
 * Publishes through `POST /sandbox/transactions` on kept-alive connections: the test client closes its
 * connection after each call, which would time TCP set-up here rather than the delivery of events. The
 * publish it answers throws when the sandbox answers other than 201, or cannot be reached.
 */
function publisherOf(url: string): Publish {
  const endpoint = new URL(sandboxPaths.transactions, url);
  return async (request) => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    await response.text();
    if (response.status !== 201) {
      throw new Error(`POST ${sandboxPaths.transactions} answered ${response.status}`);
    }
  };
}

/** Waits until `condition` holds, checking every 5 ms; `false` when `timeoutMs` passes first. */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

/** The one seeded user of a bench sandbox (`loadUsers(1)`), as `loggedIn` takes it. */
const [seed] = loadUsers(1);
const user = { username: seed?.email ?? "", password: seed?.password ?? "" };

/**
 * A client of `sandbox` with a confirmed token (device bound, device challenge passed), as
 * `newTransaction` needs, subscribing through `webSocketImpl`.
 *
 * @throws when a step of the binding fails or the token is not confirmed after it.
 */
async function confirmedClient(
  sandbox: LoadSandboxProcess,
  test: SandboxTestClient,
  options: Pick<ClientOptions, "webSocketImpl" | "refreshLeeway" | "subscriptionRetry">,
): Promise<Client> {
  const client = await loggedIn(sandbox, user, options);
  const signer = createSoftwareSigner();
  const { deviceId } = await client.auth.device.bind({ signer, name: "bench", ...asUser({ test }) });
  await client.auth.device.confirm({ signer, deviceId });
  if (client.auth.tokenManager.token?.confirmed !== true) throw new Error("the token is not confirmed");
  return client;
}

/** One round of {@link deliveryRound}. */
interface Round {
  /** Deliveries per second, first publish → last event received. */
  perSecond: number;
  /** Publishes per second (POSTs answered). */
  publishedPerSecond: number;
  /** Milliseconds from sending each POST to each delivery of its event. */
  latencies: number[];
  /** Deliveries that had not arrived 20 s after the last publish. */
  lost: number;
}

/**
 * `subscriptions` subscriptions on one connection of `client`; once each has had a probe event,
 * publishes `events` transactions ({@link inFlight} at a time) and times their deliveries. Ends the
 * subscriptions (closing the connection) before it resolves.
 *
 * @throws the first error a subscription reports, or when the subscriptions do not go live.
 */
async function deliveryRound(
  client: Client,
  publish: Publish,
  { subscriptions, events }: { subscriptions: number; events: number },
  round: number,
): Promise<Round> {
  const prefix = `bench ${subscriptions}/${round}: `;
  const sentAt = new Float64Array(events);
  const receivedAt = Array.from({ length: subscriptions }, () => new Float64Array(events));
  const live = new Array<boolean>(subscriptions).fill(false);
  let delivered = 0;
  let failure: KontistAuthError | undefined;
  const controller = new AbortController();
  try {
    for (let index = 0; index < subscriptions; index += 1) {
      const times = receivedAt[index] as Float64Array;
      client.graphQL.subscribe<NewTransaction>(newTransaction, {
        signal: controller.signal,
        next: ({ newTransaction: { name } }) => {
          const now = performance.now();
          if (name?.startsWith(prefix)) {
            times[Number(name.slice(prefix.length))] = now;
            delivered += 1;
          } else live[index] = true;
        },
        error: (error) => {
          failure ??= error;
        },
      });
    }
    for (let probe = 0; !live.every(Boolean); probe += 1) {
      if (failure !== undefined) throw failure;
      if (probe === 250) throw new Error("the subscriptions did not go live");
      await publish({ amount: 1, name: "probe" });
      await sleep(20);
    }

    const started = performance.now();
    const publishedPerSecond = await throughput(
      events,
      inFlight,
      (index) => index,
      async (index) => {
        sentAt[index] = performance.now();
        await publish({ amount: 1, name: `${prefix}${index}` });
      },
    );
    await until(() => delivered === events * subscriptions || failure !== undefined, 20_000);
    if (failure !== undefined) throw failure;

    const latencies: number[] = [];
    let last = started;
    for (const times of receivedAt) {
      times.forEach((at, index) => {
        if (at === 0) return;
        latencies.push(at - (sentAt[index] as number));
        last = Math.max(last, at);
      });
    }
    return {
      perSecond: delivered / ((last - started) / 1000),
      publishedPerSecond,
      latencies,
      lost: events * subscriptions - delivered,
    };
  } finally {
    controller.abort();
  }
}

const integer = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => value.toFixed(1);
const median = (values: readonly number[]) => percentile(values, 50);

/**
 * {@link rounds} rounds of {@link deliveryRound} per row of {@link fanOuts}, after one warm-up round,
 * against a sandbox with default token lifetimes; answers the events-per-second table.
 *
 * @throws when the sandbox does not start, the client cannot get a confirmed token, or a subscription fails.
 */
async function eventsPerSecondTable(): Promise<string> {
  const sandbox = await LoadSandboxProcess.start({ options: {}, users: 1, lifetimeMs: 120_000 });
  try {
    const test = createSandboxTestClient(sandbox.url);
    const client = await confirmedClient(sandbox, test, { webSocketImpl: WebSocket });
    const publish = publisherOf(sandbox.url);
    const rows: string[] = [];
    await deliveryRound(client, publish, { subscriptions: 1, events: 1_000 }, -1); // JIT, kept-alive connections
    for (const row of fanOuts) {
      const { subscriptions, events } = row;
      const measured: Round[] = [];
      for (let round = 0; round < rounds; round += 1) {
        measured.push(await deliveryRound(client, publish, row, round));
      }
      const rates = measured.map((round) => round.perSecond);
      const latencies = measured.flatMap((round) => round.latencies);
      const lost = measured.reduce((sum, round) => sum + round.lost, 0);
      rows.push(
        `| ${subscriptions} | ${integer(events)} | ${integer(events * subscriptions)} | ${integer(median(rates))} (${integer(Math.min(...rates))}–${integer(Math.max(...rates))}) | ${integer(median(measured.map((round) => round.publishedPerSecond)))} | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 99))} | ${lost} |`,
      );
    }
    return [
      `| subscriptions on the connection | events published per round | deliveries per round | delivered events/s, median (range) of ${rounds} | publishes/s, median | latency p50 ms | latency p99 ms | lost |`,
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
    ].join("\n");
  } finally {
    await sandbox.close();
  }
}

/** A close event of the client's socket, as the client saw it. */
interface Close {
  at: number;
  code: number;
}

/** One expiry of {@link reconnectRow}. */
interface Reconnect {
  code: number;
  /** Milliseconds from the close to the next socket's `open`. */
  toOpen: number;
  /** Milliseconds from the close to the first event delivered after it. */
  toEvent: number;
  refreshGrants: number;
  handshakes: number;
}

const handshakesOf = async (test: SandboxTestClient) =>
  (await test.stats()).requests["GET /api/graphql"] ?? 0;

/**
 * {@link expiries} expiries of a subscription's access token, for a client with `subscriptionRetry`, at a
 * sandbox whose tokens live {@link shortTtl} s: for each, the close the client saw, when its next socket
 * opened, when the resubscribed subscription delivered an event again (a probe booked every
 * {@link probeInterval} ms from the close on), and the refresh grants and handshakes the sandbox counted.
 * Answers the row of the reconnect table, labelled `label`.
 *
 * @throws when the client cannot get a confirmed token, the subscription fails, no close comes within
 *   {@link shortTtl} + 5 s, or no event within 10 s of a close.
 */
async function reconnectRow(
  sandbox: LoadSandboxProcess,
  test: SandboxTestClient,
  label: string,
  subscriptionRetry: ClientOptions["subscriptionRetry"],
): Promise<string> {
  const closes: Close[] = [];
  const opens: number[] = [];
  /** `ws`'s WebSocket, timestamping its own `open` and `close` before the client's handlers run. */
  class ObservedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.addEventListener("open", () => opens.push(performance.now()));
      this.addEventListener("close", ({ code }) => closes.push({ at: performance.now(), code }));
    }
  }
  const controller = new AbortController();
  try {
    // refreshLeeway 0: the client renews the token only because the server closed the connection.
    const client = await confirmedClient(sandbox, test, {
      webSocketImpl: ObservedWebSocket,
      refreshLeeway: 0,
      subscriptionRetry,
    });
    const publish = publisherOf(sandbox.url);
    const eventsAt: number[] = [];
    let failure: KontistAuthError | undefined;
    client.graphQL.subscribe<NewTransaction>(newTransaction, {
      signal: controller.signal,
      next: () => eventsAt.push(performance.now()),
      error: (error) => {
        failure ??= error;
      },
    });
    for (let probe = 0; eventsAt.length === 0; probe += 1) {
      if (failure !== undefined) throw failure;
      if (probe === 250) throw new Error("the subscription did not go live");
      await publish({ amount: 1, name: "probe" });
      await sleep(20);
    }

    const measured: Reconnect[] = [];
    let grants = await test.grantCount("refresh_token");
    let handshakes = await handshakesOf(test);
    // The closes are taken in order, one per expiry, so a close that comes early is not skipped.
    for (let seen = closes.length; measured.length < expiries; seen += 1) {
      if (!(await until(() => closes.length > seen || failure !== undefined, shortTtl * 1000 + 5_000))) {
        throw new Error(`no close within ${shortTtl + 5} s`);
      }
      if (failure !== undefined) throw failure;
      const close = closes[seen] as Close;
      const deadline = close.at + 10_000;
      while (!eventsAt.some((at) => at > close.at)) {
        if (failure !== undefined) throw failure;
        if (performance.now() > deadline) throw new Error("no event within 10 s of the close");
        await Promise.all([publish({ amount: 1, name: "probe" }), sleep(probeInterval)]);
      }
      const [grantsNow, handshakesNow] = [await test.grantCount("refresh_token"), await handshakesOf(test)];
      measured.push({
        code: close.code,
        toOpen: (opens.find((at) => at > close.at) ?? Number.NaN) - close.at,
        toEvent: (eventsAt.find((at) => at > close.at) as number) - close.at,
        refreshGrants: grantsNow - grants,
        handshakes: handshakesNow - handshakes,
      });
      [grants, handshakes] = [grantsNow, handshakesNow];
    }

    const codes = new Map<number, number>();
    for (const { code } of measured) codes.set(code, (codes.get(code) ?? 0) + 1);
    const range = (values: number[]) =>
      Math.min(...values) === Math.max(...values)
        ? String(values[0])
        : `${Math.min(...values)}–${Math.max(...values)}`;
    const toOpen = measured.map((reconnect) => reconnect.toOpen);
    const toEvent = measured.map((reconnect) => reconnect.toEvent);
    return `| ${label} | ${measured.length} | ${[...codes].map(([code, count]) => `${code} × ${count}`).join(", ")} | ${ms(median(toOpen))} / ${ms(Math.max(...toOpen))} | ${ms(median(toEvent))} / ${ms(Math.max(...toEvent))} | ${range(measured.map((reconnect) => reconnect.refreshGrants))} | ${range(measured.map((reconnect) => reconnect.handshakes))} |`;
  } finally {
    controller.abort();
  }
}

/**
 * {@link reconnectRow} for a client with the default `subscriptionRetry`, then for one that does not wait
 * before reconnecting (`baseDelay: 0`), each with a device of its own at one sandbox whose tokens live
 * {@link shortTtl} s; answers the reconnect table.
 *
 * @throws when the sandbox does not start, or a row throws.
 */
async function reconnectTable(): Promise<string> {
  const sandbox = await LoadSandboxProcess.start({
    options: { accessTokenTtl: shortTtl },
    users: 1,
    lifetimeMs: 120_000,
  });
  try {
    const test = createSandboxTestClient(sandbox.url);
    const { baseDelay } = clientDefaults.subscriptionRetry;
    return [
      "| client | expiries | close codes | close → new socket open, p50 / max ms | close → first event again, p50 / max ms | refresh grants per expiry | handshakes per expiry |",
      "| --- | ---: | :--- | ---: | ---: | ---: | ---: |",
      await reconnectRow(
        sandbox,
        test,
        `default \`subscriptionRetry\` (waits 0–${integer(baseDelay)} ms, full jitter, before reconnecting)`,
        undefined,
      ),
      await reconnectRow(
        sandbox,
        test,
        "`subscriptionRetry: { baseDelay: 0 }` (no wait: renewal, handshake and resubscription only)",
        { baseDelay: 0 },
      ),
    ].join("\n");
  } finally {
    await sandbox.close();
  }
}

/**
 * Measures events per second through one subscription connection, then the reconnection after token
 * expiries, and answers both tables for BENCHMARKS.md.
 *
 * @throws when a sandbox does not start, a client cannot get a confirmed token, or a subscription fails.
 */
export async function subscriptionsTable(): Promise<string> {
  return [await eventsPerSecondTable(), await reconnectTable()].join("\n\n");
}
