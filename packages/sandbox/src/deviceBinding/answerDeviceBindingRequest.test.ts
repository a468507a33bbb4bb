import { deviceGraphQL } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { useFreshSandbox } from "../../test/freshSandbox";
import {
  callApi,
  confirm,
  deleteBoundDevice,
  graphQLAnswer,
  other,
  passwordToken,
  requestDeviceBinding,
} from "../../test/requests";

const fresh = useFreshSandbox();

const update = (token: string, id: string, isConfirmation: boolean) =>
  graphQLAnswer(fresh.sandbox, token, deviceGraphQL.updateDeviceBindingRequest, { id, isConfirmation });
const get = async (id: string) =>
  (await graphQLAnswer(fresh.sandbox, fresh.accessToken, deviceGraphQL.getDeviceBindingRequest, { id })).data
    .getDeviceBindingRequest;
const refused = (status: number, message: unknown = expect.any(String)) => ({
  data: null,
  errors: [
    {
      message,
      locations: [{ line: 2, column: 3 }],
      path: ["updateDeviceBindingRequest"],
      extensions: { status, type: `http://www.iana.org/assignments/http-status-codes#${status}` },
    },
  ],
});

describe("mutation updateDeviceBindingRequest (from a bound device)", () => {
  it("confirms a request with a confirmed token of a bound device; the new device can then be created", async () => {
    const { token } = await confirm(fresh.sandbox, fresh.accessToken);
    // A second app of the same user asks; the first, already bound, confirms.
    const secondApp = (await passwordToken(fresh.sandbox)).access_token;
    const request = await requestDeviceBinding(fresh.sandbox, secondApp, "Laptop");
    expect(await update(token, request.id, true)).toEqual({ data: { updateDeviceBindingRequest: true } });
    expect(await get(request.id)).toMatchObject({ confirmedAt: expect.any(String), rejectedAt: null });
    const created = await callApi(fresh.sandbox, "POST", "/api/user/devices", secondApp, {
      name: "Laptop",
      key: createTestDeviceKey().keyHex,
    });
    expect(created.status).toBe(201);
  });

  it("rejects a request: rejectedAt is set and it allows no device", async () => {
    const { token } = await confirm(fresh.sandbox, fresh.accessToken);
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expect(await update(token, request.id, false)).toEqual({ data: { updateDeviceBindingRequest: true } });
    expect(await get(request.id)).toMatchObject({ confirmedAt: null, rejectedAt: expect.any(String) });
  });

  it("refuses a token without cnf with status 403, and leaves the request unanswered", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expect(await update(fresh.accessToken, request.id, true)).toEqual(
      refused(403, expect.stringContaining("confirmed token")),
    );
    expect(await get(request.id)).toMatchObject({ confirmedAt: null, rejectedAt: null });
  });

  it("refuses a confirmed token whose device was deleted, or one confirmed by push MFA (no device), with 403", async () => {
    const { token, deviceId } = await confirm(fresh.sandbox, fresh.accessToken);
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expect(await deleteBoundDevice(fresh.sandbox, token, deviceId)).toEqual({
      data: { deleteBoundDevice: true },
    });
    expect(await update(token, request.id, true)).toEqual(refused(403));

    const challenge = await (
      await callApi(fresh.sandbox, "POST", "/api/user/mfa/challenges", fresh.accessToken)
    ).json();
    await fresh.sandbox.test.approveMfaChallenge(challenge.id);
    const pushToken = await (
      await callApi(
        fresh.sandbox,
        "POST",
        `/api/user/mfa/challenges/${challenge.id}/token`,
        fresh.accessToken,
      )
    ).json();
    expect(await update(pushToken.token, request.id, true)).toEqual(refused(403));
  });

  it("answers an unknown request or another user's with status 404", async () => {
    const { token } = await confirm(fresh.sandbox, fresh.accessToken);
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    const request = await requestDeviceBinding(fresh.sandbox, theirs);
    const notFound = refused(404, "Device binding request not found.");
    expect(await update(token, request.id, true)).toEqual(notFound);
    expect(await update(token, "no-such-request", true)).toEqual(notFound);
    expect(
      (await graphQLAnswer(fresh.sandbox, theirs, deviceGraphQL.getDeviceBindingRequest, { id: request.id }))
        .data.getDeviceBindingRequest,
    ).toMatchObject({ confirmedAt: null });
  });

  it("answers a request already confirmed or rejected with status 409, saying so", async () => {
    const { token } = await confirm(fresh.sandbox, fresh.accessToken);
    const confirmedByMail = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await fresh.sandbox.test.confirmBindingRequest(confirmedByMail.id);
    expect(await update(token, confirmedByMail.id, false)).toEqual(
      refused(409, "This device binding request was already confirmed; create a new one."),
    );
    const rejected = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expect((await update(token, rejected.id, false)).data).toEqual({ updateDeviceBindingRequest: true });
    expect(await update(token, rejected.id, true)).toEqual(
      refused(409, "This device binding request was already rejected; create a new one."),
    );
  });
});
