import type { ServerResponse } from "node:http";
import { isKontistAuthError, paths, sleep } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type ApiFault, apiFaults, codeOfFault, type FaultyApi, startFaultyApi } from "../../test/faultyApi";
import { sendJson } from "../../test/loopbackServer";
import type { Client } from "../Client";
import { HttpError } from "../errors/HttpError";

// The client's idempotent calls over real HTTP on loopback: retried after a 503, a 429, a reset connection
// and a timeout, waiting for `Retry-After` (seconds or an HTTP-date) up to its cap, with a bounded backoff.

let api: FaultyApi | undefined;
afterEach(async () => {
  await api?.server.close();
  api = undefined;
});

async function start(options: Parameters<typeof startFaultyApi>[0]): Promise<FaultyApi> {
  api = await startFaultyApi(options);
  return api;
}

/** The idempotent calls: `GET` requests and GraphQL documents of queries only. */
const idempotentCalls: [string, string, (client: Client) => Promise<unknown>][] = [
  [
    "client.request GET",
    `GET ${paths.mfaChallenges}`,
    (c) => c.request({ method: "GET", path: paths.mfaChallenges }),
  ],
  ["auth.push.list", `GET ${paths.mfaChallenges}`, (c) => c.auth.push.list()],
  [
    "graphQL.rawQuery (a query)",
    `POST ${paths.graphQL}`,
    (c) => c.graphQL.rawQuery("query { viewer { email } }"),
  ],
  ["auth.device.list (listBoundDevices)", `POST ${paths.graphQL}`, (c) => c.auth.device.list()],
];

const cases = idempotentCalls.flatMap(([name, route, call]) =>
  apiFaults.map((fault) => [name, fault, route, call] as const),
);

describe("an idempotent call", () => {
  it.each(cases)("%s succeeds after two failures (%s): sent three times", async (_, fault, route, call) => {
    const { client, received } = await start({ fault, failures: 2 });
    await expect(call(client)).resolves.toBeDefined();
    expect(received(route)).toBe(3);
  });

  it.each(cases)(
    "%s fails (%s) after its two retries with the typed error",
    async (_, fault, route, call) => {
      const { client, received } = await start({ fault });
      const error = await call(client).catch((e: unknown) => e);
      expect(isKontistAuthError(error)).toBe(true);
      expect(error).toMatchObject({ code: codeOfFault[fault] });
      if (fault === "503" || fault === "429") expect(error).toMatchObject({ status: Number(fault) });
      expect(received(route)).toBe(3);
      await sleep(50);
      expect(received()).toBe(3);
    },
  );
});

describe("Retry-After", () => {
  /** The wait between the first and the second request of a GET answered first with `fail`. */
  async function waitAfter(fail: (response: ServerResponse) => void): Promise<number> {
    const { client, arrivals } = await start({ fault: "503", failures: 1, fail });
    await client.request({ method: "GET", path: paths.mfaChallenges });
    expect(arrivals).toHaveLength(2);
    return (arrivals[1] ?? 0) - (arrivals[0] ?? 0);
  }

  it("is honoured in seconds, on a 429 and on a 503", async () => {
    for (const status of [429, 503]) {
      const wait = await waitAfter((response) => {
        response.setHeader("retry-after", "1");
        sendJson(response, status, { message: "Slow down", status });
      });
      // The backoff alone would be at most 10 ms.
      expect(wait).toBeGreaterThanOrEqual(990);
      expect(wait).toBeLessThan(2_500);
      await api?.server.close();
    }
  });

  it("is honoured as an HTTP-date, counted from the answer's Date", async () => {
    const wait = await waitAfter((response) => {
      // The server's clock says 10 minutes ahead of ours: only the difference of its two dates counts.
      const serverNow = Math.floor(Date.now() / 1000) * 1000 + 600_000;
      response.setHeader("date", new Date(serverNow).toUTCString());
      response.setHeader("retry-after", new Date(serverNow + 1_000).toUTCString());
      sendJson(response, 429, { message: "Too Many Requests", status: 429 });
    });
    expect(wait).toBeGreaterThanOrEqual(990);
    expect(wait).toBeLessThan(2_500);
  });

  it("above maxRetryAfter is thrown at once as the HttpError, nothing sent again", async () => {
    const { client, received } = await start({
      fault: "429",
      client: { retry: { maxRetryAfter: 5_000 } },
      fail: (response) => {
        response.setHeader("retry-after", "6");
        sendJson(response, 429, { message: "Too Many Requests", status: 429 });
      },
    });
    const started = Date.now();
    const error = await client.request({ method: "GET", path: paths.mfaChallenges }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 429 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(received()).toBe(1);
  });
});

describe("the backoff", () => {
  it("waits no longer than maxDelay between attempts, and retries limit times", async () => {
    // Uncapped, the bounds of four retries would be 100, 200, 400 and 800 ms.
    const { client, arrivals } = await start({
      fault: "503",
      client: { retry: { limit: 4, baseDelay: 100, maxDelay: 100 } },
    });
    await expect(client.request({ method: "GET", path: paths.mfaChallenges })).rejects.toMatchObject({
      status: 503,
    });
    expect(arrivals).toHaveLength(5);
    const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] ?? 0));
    // Each wait is at most 100 ms; the rest of a gap is a loopback round trip on a busy machine.
    for (const gap of gaps) expect(gap).toBeLessThan(100 + 250);
    expect((arrivals[4] ?? 0) - (arrivals[0] ?? 0)).toBeLessThan(1_000);
  });
});

describe("a caller's AbortSignal", () => {
  const retryIn30s = (response: ServerResponse) => {
    response.setHeader("retry-after", "30");
    sendJson(response, 429, { message: "Too Many Requests", status: 429 });
  };

  it.each([
    ["a Retry-After of 30 s", retryIn30s],
    ["a backoff of up to 23 days", undefined],
  ])("ends the wait for %s at once, with its reason", async (_, fail) => {
    const { client, received } = await start({
      fault: "503",
      // A random wait below the 2 billion ms bound: the retry never goes out before the abort.
      client: { retry: { baseDelay: 2_000_000_000, maxDelay: 2_000_000_000 } },
      fail,
    });
    const controller = new AbortController();
    const call = client.request({ method: "GET", path: paths.mfaChallenges, signal: controller.signal });
    const settled = call.catch((e: unknown) => e);
    await expect.poll(() => received(), { interval: 5 }).toBe(1);
    const reason = new Error("the user left");
    const aborted = Date.now();
    controller.abort(reason);
    expect(await settled).toBe(reason);
    expect(Date.now() - aborted).toBeLessThan(200);
    await sleep(100);
    expect(received()).toBe(1);
  });
});

describe("retry: false", () => {
  it.each<ApiFault>(apiFaults)("sends an idempotent call once (%s)", async (fault) => {
    const { client, received } = await start({ fault, client: { retry: false } });
    await expect(client.request({ method: "GET", path: paths.mfaChallenges })).rejects.toMatchObject({
      code: codeOfFault[fault],
    });
    await expect(client.graphQL.rawQuery("{ viewer { email } }")).rejects.toMatchObject({
      code: codeOfFault[fault],
    });
    expect(received()).toBe(2);
  });
});
