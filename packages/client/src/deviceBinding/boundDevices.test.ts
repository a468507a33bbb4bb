import { createSoftwareSigner } from "@kontist-auth/crypto";
import { deviceGraphQL, graphQLErrorExtensions, ResponseValidationError } from "@kontist-auth/protocol";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Handler, type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { type ClientSandbox, startClientSandbox } from "../../test/sandbox";
import { Client } from "../Client";
import { GraphQLError } from "../errors/GraphQLError";
import { MutationRefusedError } from "../errors/MutationRefusedError";

/** The older API, where any token creates devices: binding them needs no binding request. */
let sandbox: ClientSandbox;
beforeAll(async () => {
  sandbox = await startClientSandbox({ requireDeviceBindingRequest: false });
});
afterAll(async () => {
  await sandbox?.close();
});
beforeEach(() => sandbox.reset());

/** For what the sandbox cannot answer (false, a malformed answer): a loopback server. */
let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function withBoundDevices(names: readonly string[]) {
  const session = await sandbox.signIn();
  const { client } = session;
  const ids: string[] = [];
  for (const name of names) {
    const otp = () => sandbox.test.latestOtp();
    const signer = createSoftwareSigner();
    ids.push((await client.auth.device.bind({ signer, name, otp, bindingRequest: false })).deviceId);
  }
  return { session, client, ids };
}

/** A client with a token of a loopback server answering with `handler`. */
async function loopbackClient(handler: Handler) {
  server = await startLoopbackServer(handler);
  const client = new Client({ baseUrl: server.url, clientId: "c" });
  client.auth.tokenManager.setToken("at");
  return client;
}

describe("DeviceAuth.list and remove", () => {
  it("lists the bound devices and removes one over GraphQL, never over REST", async () => {
    const { session, client, ids } = await withBoundDevices(["My laptop", "My phone"]);
    const sentBefore = session.sent.length;
    await expect(client.auth.device.list()).resolves.toEqual([
      { id: ids[0], name: "My laptop" },
      { id: ids[1], name: "My phone" },
    ]);
    await expect(client.auth.device.remove(ids[0] ?? "")).resolves.toBeUndefined();
    await expect(client.auth.device.list()).resolves.toEqual([{ id: ids[1], name: "My phone" }]);
    const sent = session.sent.slice(sentBefore);
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /api/graphql",
      "POST /api/graphql",
      "POST /api/graphql",
    ]);
    expect(sent.map((request) => JSON.parse(request.body))).toEqual([
      { query: deviceGraphQL.listBoundDevices },
      { query: deviceGraphQL.deleteBoundDevice, variables: { deviceId: ids[0] } },
      { query: deviceGraphQL.listBoundDevices },
    ]);
    for (const request of sent) expect(request.headers.authorization).toBe(`Bearer ${session.accessToken}`);
  });

  it("reports a device the API did not remove (false) as MutationRefusedError", async () => {
    // The sandbox refuses an unknown device with a GraphQL error (404), where Kontist may answer false.
    const client = await loopbackClient((_, response) =>
      sendJson(response, 200, { data: { deleteBoundDevice: false } }),
    );
    const error = await client.auth.device.remove("d/1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MutationRefusedError);
    expect(error).toMatchObject({ code: "MUTATION_REFUSED", operation: "deleteBoundDevice" });
    expect((error as Error).message).toBe(
      "deleteBoundDevice answered false: the API did not remove the bound device d/1",
    );
    await expect(client.auth.device.remove("")).rejects.toThrow(TypeError);
  });

  it("names the field of a malformed list, and passes GraphQL errors on with their status", async () => {
    const answers = [
      { data: { listBoundDevices: [{ id: "d-1" }] } },
      { data: { deleteBoundDevice: "yes" } },
      { data: null, errors: [{ message: "Forbidden", extensions: graphQLErrorExtensions(403) }] },
    ];
    const client = await loopbackClient((_, response) => sendJson(response, 200, answers.shift()));
    const invalid = await client.auth.device.list().catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ResponseValidationError);
    expect(invalid).toMatchObject({ code: "INVALID_RESPONSE", field: "listBoundDevices.0.name" });
    await expect(client.auth.device.remove("d-1")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      field: "deleteBoundDevice",
    });
    const refused = await client.auth.device.list().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused).toMatchObject({ status: 403, errors: [{ message: "Forbidden", status: 403 }] });
  });

  it("renews the token once and retries after a GraphQL error with extensions.status 401", async () => {
    let renewals = 0;
    server = await startLoopbackServer((request, response) => {
      if (request.url === "/api/oauth/token") {
        renewals += 1;
        return sendJson(response, 200, { access_token: "at-2", token_type: "Bearer" });
      }
      if (request.headers.authorization !== "Bearer at-2") {
        return sendJson(response, 200, {
          data: null,
          errors: [{ message: "Token expired", extensions: graphQLErrorExtensions(401) }],
        });
      }
      sendJson(response, 200, { data: { deleteBoundDevice: true } });
    });
    const client = new Client({ baseUrl: server.url, clientId: "c" });
    client.auth.tokenManager.setToken("at-1", "rt-1");
    await client.auth.device.remove("d-1");
    expect(renewals).toBe(1);
    expect(server.requests.map((request) => request.url)).toEqual([
      "/api/graphql",
      "/api/oauth/token",
      "/api/graphql",
    ]);
  });
});
