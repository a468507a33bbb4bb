import { createDeviceBindingRequestDataSchema, deviceGraphQL } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { confirm, demo, graphQLAnswer, other, passwordToken, postGraphQL, uuid } from "../../test/requests";

const fresh = useFreshSandbox();

const create = (variables: Record<string, unknown>, token = fresh.accessToken) =>
  graphQLAnswer(fresh.sandbox, token, deviceGraphQL.createDeviceBindingRequest, variables);
const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe("mutation createDeviceBindingRequest", () => {
  it("records the device name, the caller's IP address and place, unanswered (Kontist's field names)", async () => {
    const before = Date.now();
    const answer = await create({ deviceName: "Pixel 9" });
    expect(answer).toEqual({
      data: {
        createDeviceBindingRequest: {
          id: uuid,
          ipAddress: "127.0.0.1",
          deviceName: "Pixel 9",
          address: "Loopback (sandbox)",
          confirmedAt: null,
          rejectedAt: null,
          createdAt: iso,
        },
      },
    });
    expect(createDeviceBindingRequestDataSchema.parse(answer.data)).toEqual(answer.data);
    const createdAt = Date.parse(answer.data.createDeviceBindingRequest.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1);
    expect(createdAt).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("e-mails the user a confirmation link to the request's page, without any token", async () => {
    const { id } = (await create({ deviceName: "Pixel 9", deviceId: "my-own-device-id" })).data
      .createDeviceBindingRequest;
    const [email, ...more] = await fresh.sandbox.test.emails();
    expect(more).toEqual([]);
    const link = `${fresh.sandbox.url}/sandbox/device-binding-requests/${id}`;
    expect(email).toEqual({
      to: demo.email,
      subject: "Confirm your new device",
      text: expect.stringContaining(link),
      link,
      deviceBindingRequestId: id,
      sentAt: iso,
    });
    expect(email?.text).toContain('"Pixel 9"');
    expect(email?.text).toContain("127.0.0.1 (Loopback (sandbox))");
    expect(JSON.stringify(email)).not.toContain(fresh.accessToken);
    expect(JSON.stringify(email)).not.toContain(fresh.accessToken.split(".")[2]);
    const page = await fetch(link);
    expect(page.status).toBe(200);
  });

  it("works with a confirmed token as with a plain one, and mails each user at their own address", async () => {
    const { token } = await confirm(fresh.sandbox, fresh.accessToken);
    expect((await create({ deviceName: "Tablet" }, token)).data.createDeviceBindingRequest).toMatchObject({
      deviceName: "Tablet",
    });
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    await create({ deviceName: "Their phone" }, theirs);
    const sent = await fresh.sandbox.test.emails();
    expect(sent.map((email) => email.to)).toEqual([demo.email, demo.email, other.email]);
  });

  it("refuses a missing deviceName with 400 (variables), and sends nothing", async () => {
    const response = await postGraphQL(fresh.sandbox, fresh.accessToken, {
      query: deviceGraphQL.createDeviceBindingRequest,
      variables: { deviceId: "x" },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions).toEqual({
      status: 400,
      type: "http://www.iana.org/assignments/http-status-codes#400",
    });
    expect(await fresh.sandbox.test.emails()).toEqual([]);
  });

  it("needs a token: without one data is null and the error's status is 401", async () => {
    const answer = await graphQLAnswer(fresh.sandbox, undefined, deviceGraphQL.createDeviceBindingRequest, {
      deviceName: "Pixel",
    });
    expect(answer.data).toBeNull();
    expect(answer.errors?.map((error) => error.extensions.status)).toEqual([401]);
    expect(await fresh.sandbox.test.emails()).toEqual([]);
  });
});
