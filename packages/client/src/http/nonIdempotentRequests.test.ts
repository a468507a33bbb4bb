import { deviceGraphQL, paths, sleep } from "@kontist-auth/protocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiFaults, codeOfFault, type FaultyApi, startFaultyApi } from "../../test/faultyApi";
import { type ClientSandbox, sandboxUser, startClientSandbox } from "../../test/sandbox";
import type { Client } from "../Client";

// What is never retried: token grants (and so renewal), POST / PUT / PATCH / DELETE requests, device and
// challenge verification, GraphQL mutations. Under every fault that makes an idempotent call retry, each is
// sent exactly once and fails with the typed error of that one attempt.

let api: FaultyApi | undefined;
afterEach(async () => {
  await api?.server.close();
  api = undefined;
});

const signature = "3006020101020101"; // a DER signature's shape: the server refuses or fails it anyway
const mutation = 'mutation { deleteBoundDevice(deviceId: "d-1") }';

const nonIdempotentCalls: [string, string, (client: Client) => Promise<unknown>][] = [
  [
    "the password grant",
    `POST ${paths.token}`,
    (c) => c.auth.tokenManager.fetchTokenFromCredentials(sandboxUser),
  ],
  ["a renewal (refresh token grant)", `POST ${paths.token}`, (c) => c.auth.tokenManager.refresh()],
  [
    "client.request POST",
    "POST /api/user/things",
    (c) => c.request({ method: "POST", path: "/api/user/things", body: {} }),
  ],
  [
    "client.request PUT",
    "PUT /api/user/things/t-1",
    (c) => c.request({ method: "PUT", path: "/api/user/things/t-1", body: {} }),
  ],
  [
    "client.request PATCH",
    `PATCH ${paths.mfaChallenge("c-1")}`,
    (c) => c.request({ method: "PATCH", path: paths.mfaChallenge("c-1"), body: { status: "DENIED" } }),
  ],
  [
    "client.request DELETE",
    "DELETE /api/user/things/t-1",
    (c) => c.request({ method: "DELETE", path: "/api/user/things/t-1" }),
  ],
  ["graphQL.rawQuery (a mutation)", `POST ${paths.graphQL}`, (c) => c.graphQL.rawQuery(mutation)],
  [
    "graphQL.rawQuery (a query and a mutation)",
    `POST ${paths.graphQL}`,
    (c) => c.graphQL.rawQuery(`query { viewer { email } } ${mutation}`),
  ],
  ["auth.device.requestBinding", `POST ${paths.graphQL}`, (c) => c.auth.device.requestBinding({ name: "d" })],
  [
    "auth.device.answerBindingRequest",
    `POST ${paths.graphQL}`,
    (c) => c.auth.device.answerBindingRequest("r-1", true),
  ],
  ["auth.device.remove", `POST ${paths.graphQL}`, (c) => c.auth.device.remove("d-1")],
  [
    "auth.device.createDevice",
    `POST ${paths.devices}`,
    (c) => c.auth.device.createDevice({ name: "d", key: "04ab" }),
  ],
  [
    "auth.device.verifyDevice",
    `POST ${paths.verifyDevice("d-1")}`,
    (c) => c.auth.device.verifyDevice("d-1", { challengeId: "c-1", signature }),
  ],
  [
    "auth.device.createDeviceChallenge",
    `POST ${paths.deviceChallenges("d-1")}`,
    (c) => c.auth.device.createDeviceChallenge("d-1"),
  ],
  [
    "auth.device.verifyDeviceChallenge",
    `POST ${paths.verifyDeviceChallenge("d-1", "c-1")}`,
    (c) => c.auth.device.verifyDeviceChallenge("d-1", "c-1", { signature }),
  ],
  ["auth.push.answer", `PATCH ${paths.mfaChallenge("c-1")}`, (c) => c.auth.push.answer("c-1", "VERIFIED")],
];

describe("a call that is not idempotent", () => {
  it.each(
    nonIdempotentCalls.flatMap(([name, route, call]) =>
      apiFaults.map((f) => [name, f, route, call] as const),
    ),
  )(
    "%s is sent exactly once (%s), and fails with that attempt's typed error",
    async (_, fault, route, call) => {
      api = await startFaultyApi({ fault });
      const { client, received } = api;
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: codeOfFault[fault] });
      expect(received(route)).toBe(1);
      await sleep(40); // past any backoff (at most 20 ms here)
      expect(received()).toBe(1);
    },
  );
});

describe("against the sandbox, under its injected faults", () => {
  let sandbox: ClientSandbox;
  beforeAll(async () => {
    sandbox = await startClientSandbox();
  });
  afterAll(() => sandbox?.close());
  beforeEach(() => sandbox.reset());

  const graphQLRoute = "POST /api/graphql";
  const tokenRoute = "POST /api/oauth/token";
  const quick = { timeout: 300, retry: { baseDelay: 10, maxDelay: 20 } } as const;

  it.each([
    ["a 503", { fault: "error", status: 503 }],
    ["a 429", { fault: "error", status: 429 }],
    ["a reset", { fault: "reset" }],
    ["a delay past the timeout", { fault: "delay", delayMs: 1_000 }],
  ] as const)("a query is retried after %s, a mutation and a token grant are not", async (_, fault) => {
    const session = await sandbox.signIn(quick);
    const { client } = session;
    await sandbox.test.injectFault({ route: graphQLRoute, times: 2, ...fault });
    await expect(client.graphQL.rawQuery(deviceGraphQL.listBoundDevices)).resolves.toEqual({
      listBoundDevices: [],
    });
    expect(await session.received(graphQLRoute)).toBe(3);

    await sandbox.test.injectFault({ route: graphQLRoute, times: 2, ...fault });
    await expect(client.auth.device.requestBinding({ name: "laptop" })).rejects.toHaveProperty("code");
    expect(await session.received(graphQLRoute)).toBe(4);

    await sandbox.test.clearFaults();
    await sandbox.test.injectFault({ route: tokenRoute, times: 2, ...fault });
    const refreshToken = client.auth.tokenManager.token?.refreshToken;
    await expect(client.auth.tokenManager.refresh()).rejects.toHaveProperty("code");
    expect(await session.received(tokenRoute)).toBe(1);
    // The refresh token survived the failed renewal; the next one (no fault left) works with it.
    expect(client.auth.tokenManager.token?.refreshToken).toBe(refreshToken);
    await sandbox.test.clearFaults();
    await expect(client.auth.tokenManager.refresh()).resolves.toBeDefined();
  });
});
