import { getEventListeners } from "node:events";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import { deviceGraphQL, ResponseValidationError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeKontist, type FakeKontistOptions, startFakeKontist } from "../../test/fakeKontist";
import { sleep } from "../../test/loopbackServer";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { Client } from "../Client";
import { DeviceBindingCancelledError } from "../errors/DeviceBindingCancelledError";
import { DeviceBindingRejectedError } from "../errors/DeviceBindingRejectedError";
import { DeviceBindingRequestNotFoundError } from "../errors/DeviceBindingRequestNotFoundError";
import { GraphQLError } from "../errors/GraphQLError";
import { HttpError } from "../errors/HttpError";
import { MutationRefusedError } from "../errors/MutationRefusedError";
import { TimeoutError } from "../errors/TimeoutError";
import { defaultBindingConfirmationTimeout } from "./defaultBindingConfirmationTimeout";

let fake: FakeKontist | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await fake?.close();
  fake = undefined;
});

/** Counts answers read completely, so a test with fake timers knows when the client got one. */
let answers = 0;

// Taken before any test fakes the timers: `vi.waitFor` would advance fake time while it waits.
const realSetTimeout = globalThis.setTimeout;

/** Waits in real time until `condition()` holds (at most 5 s). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("until: the condition never held");
    await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
}

async function loggedIn(options?: FakeKontistOptions) {
  fake = await startFakeKontist(options);
  answers = 0;
  const client = new Client({
    baseUrl: fake.url,
    clientId: "c",
    clientSecret: "s",
    // The longest timeout there is: the fake timers below must not time out a request.
    timeout: 2_147_483_647,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      answers += 1;
      return new Response(response.status === 204 ? null : body, response);
    },
  });
  client.auth.tokenManager.setToken(fake.accessToken, "rt-unconfirmed");
  return { fake, client };
}

const graphQLBodies = (server: FakeKontist) =>
  server.requests
    .filter((request) => request.url === "/api/graphql")
    .map((request) => JSON.parse(request.body) as { query: string; variables?: unknown });

describe("DeviceAuth.requestBinding and getBindingRequest", () => {
  it("sends protocol's GraphQL documents with the token, and returns the request as the API shows it", async () => {
    const { fake, client } = await loggedIn();
    const request = await client.auth.device.requestBinding({ name: "My laptop" });
    expect(request).toEqual({
      id: expect.any(String),
      deviceName: "My laptop",
      ipAddress: "127.0.0.1",
      address: "Berlin, Germany",
      confirmedAt: null,
      rejectedAt: null,
      createdAt: expect.any(String),
    });
    await client.auth.device.requestBinding({ name: "My phone", deviceId: "device-0" });
    fake.confirmBindingRequest(request.id);
    const read = await client.auth.device.getBindingRequest(request.id);
    expect(read).toMatchObject({ id: request.id, confirmedAt: expect.any(String), rejectedAt: null });
    expect(graphQLBodies(fake)).toEqual([
      { query: deviceGraphQL.createDeviceBindingRequest, variables: { deviceName: "My laptop" } },
      {
        query: deviceGraphQL.createDeviceBindingRequest,
        variables: { deviceName: "My phone", deviceId: "device-0" },
      },
      { query: deviceGraphQL.getDeviceBindingRequest, variables: { id: request.id } },
    ]);
    for (const sent of fake.requests) expect(sent.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it("throws DeviceBindingRequestNotFoundError for an id the API answers null to", async () => {
    const { client } = await loggedIn();
    const error = await client.auth.device.getBindingRequest("unknown").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceBindingRequestNotFoundError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_REQUEST_NOT_FOUND", bindingRequestId: "unknown" });
  });

  it("names the missing field of a malformed answer, and keeps the status and type of a GraphQL error", async () => {
    const { fake, client } = await loggedIn();
    fake.graphQLAnswer = {
      status: 200,
      body: { data: { createDeviceBindingRequest: { id: "r-1", deviceName: "d", address: "Berlin" } } },
    };
    const invalid = await client.auth.device.requestBinding({ name: "d" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ResponseValidationError);
    expect(invalid).toMatchObject({ field: "createDeviceBindingRequest.ipAddress" });
    expect((invalid as Error).message).toContain("createDeviceBindingRequest");

    fake.graphQLAnswer = undefined;
    fake.failPolls("forbidden");
    const refused = await client.auth.device.getBindingRequest("r-1").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused).toMatchObject({
      status: 403,
      type: "http://www.iana.org/assignments/http-status-codes#403",
    });
  });

  it("refuses a missing name or id with a TypeError, sending nothing", async () => {
    const { fake, client } = await loggedIn();
    await expect(client.auth.device.requestBinding({ name: "" })).rejects.toThrow(TypeError);
    await expect(client.auth.device.requestBinding({ name: "d", deviceId: 1 as never })).rejects.toThrow(
      TypeError,
    );
    await expect(client.auth.device.requestBinding(undefined as never)).rejects.toThrow(TypeError);
    await expect(client.auth.device.getBindingRequest("")).rejects.toThrow(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("DeviceAuth.waitForBindingConfirmation", () => {
  it(`polls at once, then every ${defaultPollInterval} ms by default, and leaves no timer behind`, async () => {
    expect(defaultPollInterval).toBe(3_000);
    const { fake, client } = await loggedIn({ closeConnections: true });
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const waiting = client.auth.device.waitForBindingConfirmation(id);
    // The first poll goes out without any timer firing, and its answer schedules the next one.
    await until(() => answers === 2);
    expect(fake.polls()).toBe(1);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fake.polls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => answers === 3);
    expect(fake.polls()).toBe(2);
    fake.confirmBindingRequest(id);
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(waiting).resolves.toMatchObject({ id, confirmedAt: expect.any(String) });
    expect(fake.polls()).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it(`times out after ${defaultBindingConfirmationTimeout} ms by default, aborting the poll in flight`, async () => {
    expect(defaultBindingConfirmationTimeout).toBe(600_000);
    const { fake, client } = await loggedIn();
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const waiting = client.auth.device.waitForBindingConfirmation(id).catch((e: unknown) => e);
    await until(() => answers === 2);
    fake.failPolls("hang");
    await vi.advanceTimersByTimeAsync(3_000); // the second poll gets no answer
    await until(() => fake.polls() === 2);
    await vi.advanceTimersByTimeAsync(596_999);
    expect(await Promise.race([waiting, "pending"])).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    const error = await waiting;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", timeout: 600_000 });
    expect((error as Error).message).toContain(`waitForBindingConfirmation(${id})`);
    await until(() => fake.abortedRequests() === 1);
    // Nothing of the wait is left to fire (fetch's own timers for the aborted connection aside).
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.polls()).toBe(2);
  });

  it("times out between two polls, leaving no timer behind", async () => {
    const { fake, client } = await loggedIn({ closeConnections: true });
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
    expect(fake.polls()).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resolves with the request once the user confirms it", async () => {
    const { fake, client } = await loggedIn();
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    fake.onPoll = (polled, poll) => {
      if (poll === 3) fake.confirmBindingRequest(polled);
    };
    const started = Date.now();
    const confirmed = await client.auth.device.waitForBindingConfirmation(id, { pollInterval: 40 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(confirmed).toMatchObject({ id, confirmedAt: expect.any(String), rejectedAt: null });
    expect(fake.polls()).toBe(3);
  });

  it("rejects with DeviceBindingRejectedError once the user rejects it, and polls no more", async () => {
    const { fake, client } = await loggedIn();
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    fake.onPoll = (polled, poll) => {
      if (poll === 2) fake.rejectBindingRequest(polled);
    };
    const error = await client.auth.device
      .waitForBindingConfirmation(id, { pollInterval: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceBindingRejectedError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_REJECTED", bindingRequestId: id });
    expect((error as DeviceBindingRejectedError).rejectedAt?.toISOString()).toBe(
      fake.bindingRequests.get(id)?.rejectedAt,
    );
    await sleep(60);
    expect(fake.polls()).toBe(2);
  });

  it("is cancelled by its signal, aborting the poll in flight, and leaves no listener on it", async () => {
    const { fake, client } = await loggedIn();
    const { id } = await client.auth.device.requestBinding({ name: "d" });
    fake.failPolls("hang");
    const controller = new AbortController();
    const waiting = client.auth.device
      .waitForBindingConfirmation(id, { pollInterval: 20, signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(() => fake.polls()).toBe(1);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    const reason = new Error("user closed the dialog");
    controller.abort(reason);
    const error = await waiting;
    expect(error).toBeInstanceOf(DeviceBindingCancelledError);
    expect(error).toMatchObject({ code: "DEVICE_BINDING_CANCELLED", cause: reason });
    await expect.poll(() => fake.abortedRequests()).toBe(1);

    const before = fake.requests.length;
    const early = await client.auth.device
      .waitForBindingConfirmation(id, { signal: AbortSignal.abort("gone") })
      .catch((e: unknown) => e);
    expect(early).toMatchObject({ code: "DEVICE_BINDING_CANCELLED", cause: "gone" });
    expect(fake.requests).toHaveLength(before);
  });

  it.each([
    ["an HTTP error", "500", HttpError],
    ["a GraphQL error", "forbidden", GraphQLError],
  ] as const)(
    "rejects with the typed error of a failing poll (%s) and polls no more",
    async (_, failure, type) => {
      const { fake, client } = await loggedIn();
      const { id } = await client.auth.device.requestBinding({ name: "d" });
      fake.onPoll = (_, poll) => {
        if (poll === 2) fake.failPolls(failure);
      };
      await expect(
        client.auth.device.waitForBindingConfirmation(id, { pollInterval: 20 }),
      ).rejects.toBeInstanceOf(type);
      await sleep(60);
      expect(fake.polls()).toBe(2);
    },
  );

  it("rejects with DeviceBindingRequestNotFoundError for an unknown id", async () => {
    const { client } = await loggedIn();
    await expect(client.auth.device.waitForBindingConfirmation("unknown")).rejects.toBeInstanceOf(
      DeviceBindingRequestNotFoundError,
    );
  });

  it("always settles, leaving no listener on the signal, whatever the outcome", async () => {
    const { fake, client } = await loggedIn();
    const outcomes: string[] = [];
    for (const outcome of ["confirm", "reject", "timeout", "fail", "abort"] as const) {
      fake.failPolls(undefined);
      const { id } = await client.auth.device.requestBinding({ name: outcome });
      const controller = new AbortController();
      fake.onPoll = () => {
        if (outcome === "confirm") fake.confirmBindingRequest(id);
        if (outcome === "reject") fake.rejectBindingRequest(id);
        if (outcome === "fail") fake.failPolls("500");
        if (outcome === "abort") setTimeout(() => controller.abort(), 10);
      };
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
    const { fake, client } = await loggedIn();
    const wait = (options: object, id = "r-1") => client.auth.device.waitForBindingConfirmation(id, options);
    await expect(wait({}, "")).rejects.toThrow(TypeError);
    for (const pollInterval of [0, -1, Number.NaN, 2 ** 31, "3000"]) {
      await expect(wait({ pollInterval })).rejects.toThrow(TypeError);
    }
    for (const timeout of [0, Number.POSITIVE_INFINITY, "1"]) {
      await expect(wait({ timeout })).rejects.toThrow(TypeError);
    }
    await expect(wait({ signal: { aborted: false } })).rejects.toThrow(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("DeviceAuth.answerBindingRequest", () => {
  it("confirms or rejects another device's request from a confirmed session", async () => {
    const { fake, client } = await loggedIn({ requireBindingRequest: false });
    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "phone",
      bindingRequest: false,
      otp: async () => fake.sms.at(-1) ?? "",
    });
    const other = new Client({ baseUrl: fake.url, clientId: "c" });
    other.auth.tokenManager.setToken(fake.accessToken);
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
    const updates = graphQLBodies(fake).filter(
      (body) => body.query === deviceGraphQL.updateDeviceBindingRequest,
    );
    expect(updates.map((body) => body.variables)).toEqual([
      { id: first.id, isConfirmation: true },
      { id: first.id, isConfirmation: true },
      { id: second.id, isConfirmation: false },
    ]);

    // An answered request cannot be answered again: the API says false.
    const again = await client.auth.device.answerBindingRequest(second.id, true).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MutationRefusedError);
    expect(again).toMatchObject({ code: "MUTATION_REFUSED", operation: "updateDeviceBindingRequest" });
  });

  it("refuses an approve that is not a boolean, sending nothing", async () => {
    const { fake, client } = await loggedIn();
    await expect(client.auth.device.answerBindingRequest("r-1", "yes" as never)).rejects.toThrow(TypeError);
    await expect(client.auth.device.answerBindingRequest("", true)).rejects.toThrow(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});
