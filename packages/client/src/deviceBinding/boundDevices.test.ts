import { createSoftwareSigner } from "@kontist-auth/crypto";
import { deviceGraphQL, graphQLErrorExtensions, ResponseValidationError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeKontist, startFakeKontist } from "../../test/fakeKontist";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import { GraphQLError } from "../errors/GraphQLError";
import { MutationRefusedError } from "../errors/MutationRefusedError";

let server: FakeKontist | LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function withBoundDevices(names: readonly string[]) {
  const fake = await startFakeKontist({ requireBindingRequest: false });
  server = fake;
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s" });
  client.auth.tokenManager.setToken(fake.accessToken, "rt-unconfirmed");
  const ids: string[] = [];
  for (const name of names) {
    const otp = async () => fake.sms.at(-1) ?? "";
    const signer = createSoftwareSigner();
    ids.push((await client.auth.device.bind({ signer, name, otp, bindingRequest: false })).deviceId);
  }
  return { fake, client, ids };
}

describe("DeviceAuth.list and remove", () => {
  it("lists the bound devices and removes one over GraphQL, never over REST", async () => {
    const { fake, client, ids } = await withBoundDevices(["My laptop", "My phone"]);
    const sentBefore = fake.requests.length;
    await expect(client.auth.device.list()).resolves.toEqual([
      { id: ids[0], name: "My laptop" },
      { id: ids[1], name: "My phone" },
    ]);
    await expect(client.auth.device.remove(ids[0] ?? "")).resolves.toBeUndefined();
    await expect(client.auth.device.list()).resolves.toEqual([{ id: ids[1], name: "My phone" }]);
    const sent = fake.requests.slice(sentBefore);
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
    for (const request of sent) expect(request.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it("reports a device the API did not remove (false) as MutationRefusedError", async () => {
    const { client } = await withBoundDevices([]);
    const error = await client.auth.device.remove("d/1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MutationRefusedError);
    expect(error).toMatchObject({ code: "MUTATION_REFUSED", operation: "deleteBoundDevice" });
    expect((error as Error).message).toBe(
      "deleteBoundDevice answered false: the API did not remove the bound device d/1",
    );
    await expect(client.auth.device.remove("")).rejects.toThrow(TypeError);
  });

  it("names the field of a malformed list, and passes GraphQL errors on with their status", async () => {
    const { fake, client } = await withBoundDevices([]);
    fake.graphQLAnswer = { status: 200, body: { data: { listBoundDevices: [{ id: "d-1" }] } } };
    const invalid = await client.auth.device.list().catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ResponseValidationError);
    expect(invalid).toMatchObject({ code: "INVALID_RESPONSE", field: "listBoundDevices.0.name" });
    fake.graphQLAnswer = { status: 200, body: { data: { deleteBoundDevice: "yes" } } };
    await expect(client.auth.device.remove("d-1")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      field: "deleteBoundDevice",
    });
    fake.graphQLAnswer = {
      status: 200,
      body: { data: null, errors: [{ message: "Forbidden", extensions: graphQLErrorExtensions(403) }] },
    };
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
