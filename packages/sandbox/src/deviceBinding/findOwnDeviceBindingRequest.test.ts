import { deviceGraphQL, getDeviceBindingRequestDataSchema } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { graphQLAnswer, other, passwordToken, requestDeviceBinding } from "../../test/requests";

const fresh = useFreshSandbox();

const get = async (variables: Record<string, unknown>, token = fresh.accessToken) => {
  const answer = await graphQLAnswer(fresh.sandbox, token, deviceGraphQL.getDeviceBindingRequest, variables);
  expect(answer.errors).toBeUndefined();
  return getDeviceBindingRequestDataSchema.parse(answer.data).getDeviceBindingRequest;
};

describe("query getDeviceBindingRequest", () => {
  it("answers the request by id, and shows confirmedAt once the user confirmed it", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken, "Pixel");
    expect(await get({ id: request.id })).toEqual(request);
    await fresh.sandbox.test.confirmBindingRequest(request.id);
    const confirmed = await get({ id: request.id });
    expect(confirmed).toEqual({ ...request, confirmedAt: expect.any(String) });
    expect(Date.parse(confirmed?.confirmedAt ?? "")).toBeGreaterThanOrEqual(
      Date.parse(request.createdAt ?? ""),
    );
  });

  it("shows rejectedAt once the user rejected it", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await fresh.sandbox.test.rejectBindingRequest(request.id);
    expect(await get({ id: request.id })).toEqual({ ...request, rejectedAt: expect.any(String) });
  });

  it("answers the newest request of the user without an id (null without any)", async () => {
    expect(await get({})).toBeNull();
    await requestDeviceBinding(fresh.sandbox, fresh.accessToken, "First");
    const second = await requestDeviceBinding(fresh.sandbox, fresh.accessToken, "Second");
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    await requestDeviceBinding(fresh.sandbox, theirs, "Theirs");
    expect(await get({})).toEqual(second);
    expect(await get({ id: null })).toEqual(second);
  });

  it("answers null for an unknown id and for another user's request alike", async () => {
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    const request = await requestDeviceBinding(fresh.sandbox, theirs);
    expect(await get({ id: request.id })).toBeNull();
    expect(await get({ id: "no-such-request" })).toBeNull();
    expect(await get({ id: request.id }, theirs)).toEqual(request);
  });
});
