import { getEventListeners } from "node:events";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import {
  type DeviceBindingRequest,
  deviceGraphQL,
  graphQLErrorExtensions,
  ResponseValidationError,
  sleep,
} from "@kontist-auth/protocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Handler, type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import {
  bindingRequestPolls,
  type ClientSandbox,
  onBindingRequestPoll,
  type SignedInClient,
  sandboxClient,
  startClientSandbox,
} from "../../test/sandbox";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { Client } from "../Client";
import { DeviceBindingCancelledError } from "../errors/DeviceBindingCancelledError";
import { DeviceBindingRejectedError } from "../errors/DeviceBindingRejectedError";
import { DeviceBindingRequestNotFoundError } from "../errors/DeviceBindingRequestNotFoundError";
import { GraphQLError } from "../errors/GraphQLError";
import { HttpError } from "../errors/HttpError";
import { MutationRefusedError } from "../errors/MutationRefusedError";
import { TimeoutError } from "../errors/TimeoutError";
import type { ClientOptions } from "../options/ClientOptions";
import { defaultBindingConfirmationTimeout } from "./defaultBindingConfirmationTimeout";

/** Kontist's API today: a device needs a confirmed binding request. */
let today: ClientSandbox;
/** The older API, where any token creates devices. */
let older: ClientSandbox;
beforeAll(async () => {
  today = await startClientSandbox();
  older = await startClientSandbox({ requireDeviceBindingRequest: false });
});
afterAll(async () => {
  await today?.close();
  await older?.close();
});
beforeEach(() => {
  today.reset();
  older.reset();
});

/** For what the sandbox cannot do (a poll that never answers, a malformed answer): a loopback server. */
let server: LoopbackServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/**
 * Counts answers read completely, so a test with fake timers knows when the client got one. Asks for
 * `Connection: close`, so fetch keeps no idle connection, and no keep-alive timer of its own.
 */
let answers = 0;
const countingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  request.headers.set("connection", "close");
  const response = await fetch(request);
  const body = await response.arrayBuffer();
  answers += 1;
  return new Response(response.status === 204 ? null : body, response);
};
const clientOptions: Partial<ClientOptions> = {
  // The longest timeout there is: the fake timers below must not time out a request.
  timeout: 2_147_483_647,
  fetch: countingFetch,
};

// Taken before any test fakes the timers: `vi.waitFor` would advance fake time while it waits.
const realSetTimeout = globalThis.setTimeout;

/** Waits in real time until `condition()` holds (at most 5 s). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("until: the condition never held");
    await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
}

/** A client signed in to `sandbox`; `answers` counts from then on. */
async function loggedIn(sandbox = today) {
  const session = await sandbox.signIn(clientOptions);
  answers = 0;
  return session;
}

/** A client with a token of a loopback server answering with `handler`; `answers` counts from then on. */
async function loopbackClient(handler: Handler) {
  server = await startLoopbackServer(handler);
  answers = 0;
  const client = new Client({ baseUrl: server.url, clientId: "c", ...clientOptions });
  client.auth.tokenManager.setToken("at");
  return { server, client };
}

const graphQL = "POST /api/graphql";

const graphQLBodies = (session: SignedInClient) =>
  session.sent
    .filter((request) => request.url === "/api/graphql")
    .map((request) => JSON.parse(request.body) as { query: string; variables?: unknown });

/** A pending binding request, as `getDeviceBindingRequest` answers it. */
const pendingAnswer = (id: string): { data: { getDeviceBindingRequest: DeviceBindingRequest } } => ({
  data: {
    getDeviceBindingRequest: {
      id,
      ipAddress: "127.0.0.1",
      deviceName: "d",
      address: "Berlin, Germany",
      confirmedAt: null,
      rejectedAt: null,
      createdAt: new Date().toISOString(),
    },
  },
});

/** A GraphQL answer with one error standing for HTTP 403, as Kontist writes them. */
const forbiddenAnswer = {
  data: null,
  errors: [{ message: "Not allowed", extensions: graphQLErrorExtensions(403) }],
};

describe("DeviceAuth.requestBinding and getBindingRequest", () => {
  it("sends protocol's GraphQL documents with the token, and returns the request as the API shows it", async () => {
    const session = await loggedIn();
    const { client } = session;
    const request = await client.auth.device.requestBinding({ name: "My laptop" });
    expect(request).toEqual({
      id: expect.any(String),
      deviceName: "My laptop",
      ipAddress: "127.0.0.1",
      address: "Loopback (sandbox)",
      confirmedAt: null,
      rejectedAt: null,
      createdAt: expect.any(String),
    });
    await client.auth.device.requestBinding({ name: "My phone", deviceId: "device-0" });
    await today.test.confirmBindingRequest(request.id);
    const read = await client.auth.device.getBindingRequest(request.id);
    expect(read).toMatchObject({ id: request.id, confirmedAt: expect.any(String), rejectedAt: null });
    expect(graphQLBodies(session)).toEqual([
      { query: deviceGraphQL.createDeviceBindingRequest, variables: { deviceName: "My laptop" } },
      {
        query: deviceGraphQL.createDeviceBindingRequest,
        variables: { deviceName: "My phone", deviceId: "device-0" },
      },
      { query: deviceGraphQL.getDeviceBindingRequest, variables: { id: request.id } },
    ]);
    for (const sent of session.sent) expect(sent.headers.authorization).toBe(`Bearer ${session.accessToken}`);
  });

  it("throws DeviceBindingRequestNotFoundError for an id the API answers null to", async () => {
    const { client } = await loggedIn();
    const error = await client.auth.device.getBindingRequest("unknown").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceBindingRequestNotFoundError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_REQUEST_NOT_FOUND", bindingRequestId: "unknown" });
  });

  it("names the missing field of a malformed answer, and keeps the status and type of a GraphQL error", async () => {
    // The sandbox answers neither a malformed `data` nor a GraphQL 403 to a poll of the user's own request.
    const { client } = await loopbackClient((request, response) => {
      if (server?.requests.indexOf(request) === 0) {
        return sendJson(response, 200, {
          data: { createDeviceBindingRequest: { id: "r-1", deviceName: "d", address: "Berlin" } },
        });
      }
      sendJson(response, 200, forbiddenAnswer);
    });
    const invalid = await client.auth.device.requestBinding({ name: "d" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ResponseValidationError);
    expect(invalid).toMatchObject({ field: "createDeviceBindingRequest.ipAddress" });
    expect((invalid as Error).message).toContain("createDeviceBindingRequest");

    const refused = await client.auth.device.getBindingRequest("r-1").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused).toMatchObject({
      status: 403,
      type: "http://www.iana.org/assignments/http-status-codes#403",
    });
  });

  it("refuses a missing name or id with a TypeError, sending nothing", async () => {
    const session = await loggedIn();
    const { client } = session;
    await expect(client.auth.device.requestBinding({ name: "" })).rejects.toThrow(TypeError);
    await expect(client.auth.device.requestBinding({ name: "d", deviceId: 1 as never })).rejects.toThrow(
      TypeError,
    );
    await expect(client.auth.device.requestBinding(undefined as never)).rejects.toThrow(TypeError);
    await expect(client.auth.device.getBindingRequest("")).rejects.toThrow(TypeError);
    expect(await session.received()).toBe(0);
  });
});

describe("DeviceAuth.waitForBindingConfirmation", () => {
  it(`polls at once, then every ${defaultPollInterval} ms by default, and leaves no timer behind`, async () => {
    expect(defaultPollInterval).toBe(3_000);
    const session = await loggedIn();
    const { client } = session;
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const waiting = client.auth.device.waitForBindingConfirmation(id);
    // The first poll goes out without any timer firing, and its answer schedules the next one.
    await until(() => answers === 2);
    expect(await bindingRequestPolls(session)).toBe(1);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(await bindingRequestPolls(session)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => answers === 3);
    expect(await bindingRequestPolls(session)).toBe(2);
    await today.test.confirmBindingRequest(id);
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(waiting).resolves.toMatchObject({ id, confirmedAt: expect.any(String) });
    // Timers first: reading the sandbox's stats leaves fetch's keep-alive timer for that connection.
    expect(vi.getTimerCount()).toBe(0);
    expect(await bindingRequestPolls(session)).toBe(3);
  });

  it(`times out after ${defaultBindingConfirmationTimeout} ms by default, aborting the poll in flight`, async () => {
    expect(defaultBindingConfirmationTimeout).toBe(600_000);
    // The sandbox delays a request by a minute at most, and does not tell an aborted request.
    const id = "r-1";
    const { server, client } = await loopbackClient((request, response) => {
      // The second poll gets no answer.
      if (server?.requests.indexOf(request) === 0) sendJson(response, 200, pendingAnswer(id));
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const waiting = client.auth.device.waitForBindingConfirmation(id).catch((e: unknown) => e);
    await until(() => answers === 1);
    await vi.advanceTimersByTimeAsync(3_000); // the second poll gets no answer
    await until(() => server.requests.length === 2);
    await vi.advanceTimersByTimeAsync(596_999);
    expect(await Promise.race([waiting, "pending"])).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    const error = await waiting;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", timeout: 600_000 });
    expect((error as Error).message).toContain(`waitForBindingConfirmation(${id})`);
    await until(() => server.abortedRequests() === 1);
    // Nothing of the wait is left to fire (fetch's own timers for the aborted connection aside).
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requests.length).toBe(2);
  });

  it("times out between two polls, leaving no timer behind", async () => {
    const session = await loggedIn();
    const { client } = session;
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const waiting = client.auth.device
      .waitForBindingConfirmation(id, { timeout: 5_000 })
      .catch((e: unknown) => e);
    await until(() => answers === 2);
    await vi.advanceTimersByTimeAsync(3_000);
    await until(() => answers === 3);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(waiting).resolves.toMatchObject({ code: "TIMEOUT", timeout: 5_000 });
    expect(vi.getTimerCount()).toBe(0);
    expect(await bindingRequestPolls(session)).toBe(2);
  });

  it("resolves with the request once the user confirms it", async () => {
    const session = await loggedIn();
    const { client } = session;
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    onBindingRequestPoll(session, async (poll) => {
      if (poll === 3) await today.test.confirmBindingRequest(id);
    });
    const started = Date.now();
    const confirmed = await client.auth.device.waitForBindingConfirmation(id, { pollInterval: 40 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(confirmed).toMatchObject({ id, confirmedAt: expect.any(String), rejectedAt: null });
    expect(await bindingRequestPolls(session)).toBe(3);
  });

  it("rejects with DeviceBindingRejectedError once the user rejects it, and polls no more", async () => {
    const session = await loggedIn();
    const { client } = session;
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    onBindingRequestPoll(session, async (poll) => {
      if (poll === 2) await today.test.rejectBindingRequest(id);
    });
    const error = await client.auth.device
      .waitForBindingConfirmation(id, { pollInterval: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceBindingRejectedError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_REJECTED", bindingRequestId: id });
    // The request as the sandbox answered the last poll.
    const answered = (await session.sent.at(-1)?.response?.json()) as ReturnType<typeof pendingAnswer>;
    expect((error as DeviceBindingRejectedError).rejectedAt?.toISOString()).toBe(
      answered.data.getDeviceBindingRequest.rejectedAt,
    );
    await sleep(60);
    expect(await bindingRequestPolls(session)).toBe(2);
  });

  it("is cancelled by its signal, aborting the poll in flight, and leaves no listener on it", async () => {
    // A poll the server never answers, and a server that tells an aborted request: not the sandbox.
    const id = "r-1";
    const { server, client } = await loopbackClient(() => {});
    const controller = new AbortController();
    const waiting = client.auth.device
      .waitForBindingConfirmation(id, { pollInterval: 20, signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(() => server.requests.length).toBe(1);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    const reason = new Error("user closed the dialog");
    controller.abort(reason);
    const error = await waiting;
    expect(error).toBeInstanceOf(DeviceBindingCancelledError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_CANCELLED", cause: reason });
    await expect.poll(() => server.abortedRequests()).toBe(1);

    const before = server.requests.length;
    const early = await client.auth.device
      .waitForBindingConfirmation(id, { signal: AbortSignal.abort("gone") })
      .catch((e: unknown) => e);
    expect(early).toMatchObject({ code: "DEVICE_BINDING_CANCELLED", cause: "gone" });
    expect(server.requests).toHaveLength(before);
  });

  it("rejects with the typed error of a failing poll (an HTTP error) and polls no more", async () => {
    const session = await loggedIn();
    const { client } = session;
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    onBindingRequestPoll(session, async (poll) => {
      // The second poll and its two retries (a poll is a query: idempotent) all fail.
      if (poll === 2) await today.test.injectFault({ route: graphQL, fault: "error", status: 500, times: 3 });
    });
    const waiting = client.auth.device.waitForBindingConfirmation(id, { pollInterval: 20 });
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 500 });
    await sleep(60);
    expect(await bindingRequestPolls(session)).toBe(4);
  });

  it("rejects with the typed error of a failing poll (a GraphQL error) and polls no more", async () => {
    // The sandbox answers a poll of the user's own request with no GraphQL error.
    const id = "r-1";
    const { server, client } = await loopbackClient((request, response) => {
      const poll = (server?.requests.indexOf(request) ?? 0) + 1;
      sendJson(response, 200, poll === 2 ? forbiddenAnswer : pendingAnswer(id));
    });
    await expect(
      client.auth.device.waitForBindingConfirmation(id, { pollInterval: 20 }),
    ).rejects.toBeInstanceOf(GraphQLError);
    await sleep(60);
    expect(server.requests.length).toBe(2);
  });

  it("rejects with DeviceBindingRequestNotFoundError for an unknown id", async () => {
    const { client } = await loggedIn();
    await expect(client.auth.device.waitForBindingConfirmation("unknown")).rejects.toBeInstanceOf(
      DeviceBindingRequestNotFoundError,
    );
  });

  it("always settles, leaving no listener on the signal, whatever the outcome", async () => {
    const session = await loggedIn();
    const { client } = session;
    const outcomes: string[] = [];
    for (const outcome of ["confirm", "reject", "timeout", "fail", "abort"] as const) {
      await today.test.clearFaults();
      const { id } = await client.auth.device.requestBinding({ name: outcome });
      const controller = new AbortController();
      onBindingRequestPoll(session, async () => {
        if (outcome === "confirm") await today.test.confirmBindingRequest(id);
        if (outcome === "reject") await today.test.rejectBindingRequest(id);
        // A 400 is not retried (a 5xx would be, and its backoff could outlast the timeout).
        if (outcome === "fail") await today.test.injectFault({ route: graphQL, fault: "error", status: 400 });
        if (outcome === "abort") setTimeout(() => controller.abort(), 10);
      });
      const settled = await client.auth.device
        .waitForBindingConfirmation(id, { pollInterval: 20, timeout: 100, signal: controller.signal })
        .then(
          () => "confirmed",
          (error: { code?: string }) => error.code,
        );
      outcomes.push(`${outcome}: ${settled}`);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    }
    expect(outcomes).toEqual([
      "confirm: confirmed",
      "reject: DEVICE_BINDING_REJECTED",
      "timeout: TIMEOUT",
      "fail: HTTP_ERROR",
      "abort: DEVICE_BINDING_CANCELLED",
    ]);
  });

  it("refuses malformed options with a TypeError, sending nothing", async () => {
    const session = await loggedIn();
    const wait = (options: object, id = "r-1") =>
      session.client.auth.device.waitForBindingConfirmation(id, options);
    await expect(wait({}, "")).rejects.toThrow(TypeError);
    for (const pollInterval of [0, -1, Number.NaN, 2 ** 31, "3000"]) {
      await expect(wait({ pollInterval })).rejects.toThrow(TypeError);
    }
    for (const timeout of [0, Number.POSITIVE_INFINITY, "1"]) {
      await expect(wait({ timeout })).rejects.toThrow(TypeError);
    }
    await expect(wait({ signal: { aborted: false } })).rejects.toThrow(TypeError);
    expect(await session.received()).toBe(0);
  });
});

describe("DeviceAuth.answerBindingRequest", () => {
  it("confirms or rejects another device's request from a confirmed session", async () => {
    const session = await older.signIn();
    const { client } = session;
    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "phone",
      bindingRequest: false,
      otp: () => older.test.latestOtp(),
    });
    const other = new Client({ baseUrl: older.url, clientId: sandboxClient.clientId });
    other.auth.tokenManager.setToken(session.accessToken);
    const first = await other.auth.device.requestBinding({ name: "laptop" });
    const second = await other.auth.device.requestBinding({ name: "tablet" });

    // Without a confirmed token, Kontist refuses with a GraphQL error of status 403.
    const refused = await client.auth.device.answerBindingRequest(first.id, true).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused).toMatchObject({ code: "GRAPHQL_ERROR", status: 403 });

    await client.auth.device.confirm({ signer, deviceId });
    await client.auth.device.answerBindingRequest(first.id, true);
    await client.auth.device.answerBindingRequest(second.id, false);
    await expect(other.auth.device.getBindingRequest(first.id)).resolves.toMatchObject({
      confirmedAt: expect.any(String),
      rejectedAt: null,
    });
    await expect(other.auth.device.getBindingRequest(second.id)).resolves.toMatchObject({
      confirmedAt: null,
      rejectedAt: expect.any(String),
    });
    const updates = graphQLBodies(session).filter(
      (body) => body.query === deviceGraphQL.updateDeviceBindingRequest,
    );
    expect(updates.map((body) => body.variables)).toEqual([
      { id: first.id, isConfirmation: true },
      { id: first.id, isConfirmation: true },
      { id: second.id, isConfirmation: false },
    ]);
  });

  it("reports a request answered before (the API says false) as MutationRefusedError", async () => {
    // The sandbox refuses a second answer with a GraphQL error (409), where Kontist may answer false.
    const { client } = await loopbackClient((_, response) =>
      sendJson(response, 200, { data: { updateDeviceBindingRequest: false } }),
    );
    // An answered request cannot be answered again: the API says false.
    const again = await client.auth.device.answerBindingRequest("r-2", true).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MutationRefusedError);
    expect(again).toMatchObject({ code: "MUTATION_REFUSED", operation: "updateDeviceBindingRequest" });
  });

  it("refuses an approve that is not a boolean, sending nothing", async () => {
    const session = await loggedIn();
    const { client } = session;
    await expect(client.auth.device.answerBindingRequest("r-1", "yes" as never)).rejects.toThrow(TypeError);
    await expect(client.auth.device.answerBindingRequest("", true)).rejects.toThrow(TypeError);
    expect(await session.received()).toBe(0);
  });
});
