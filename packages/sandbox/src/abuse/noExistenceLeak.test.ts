/**
 * Issue 11, item 4: another user's device, device challenge, OTP, push challenge or device binding request
 * answers exactly as an id that does not exist (same status, same body), so ids cannot be probed, and the
 * probe changes nothing. Per-endpoint tests already check the 404s: src/devices/verifyDevice.test.ts,
 * createDeviceChallenge.test.ts, verifyDeviceChallenge.test.ts and deleteBoundDevice.test.ts ("another
 * user's device …"), src/mfa/mfaChallenges.test.ts ("answers another user's challenge and an unknown id
 * with 404"), src/deviceBinding/findOwnDeviceBindingRequest.test.ts and answerDeviceBindingRequest.test.ts
 * ("… another user's …"). This file compares the whole answers, endpoint by endpoint, in one place.
 */
import { randomUUID } from "node:crypto";
import { deviceGraphQL } from "@kontist-auth/protocol";
import { expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { useFreshSandbox } from "../../test/freshSandbox";
import {
  bindDevice,
  boundDevices,
  callApi,
  confirm,
  createChallenge,
  createDevice,
  other,
  passwordToken,
  postGraphQL,
  requestDeviceBinding,
} from "../../test/requests";

// One attempt: a probe that spent one would leave the owner locked out.
const fresh = useFreshSandbox({ otpAttempts: 1 });

/** Everything of an answer a prober could compare. */
async function seen(response: Response) {
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    allow: response.headers.get("allow"),
    body: await response.text(),
  };
}

it("answers another user's ids exactly as unknown ones, on every endpoint that takes an id, and changes nothing", async () => {
  const { sandbox } = fresh;
  // Mine: a bound device with an open challenge, an unverified device with its OTP, a push challenge and
  // an unanswered binding request.
  const mine = fresh.accessToken;
  const bound = await bindDevice(sandbox, mine);
  const challenge = await createChallenge(sandbox, mine, bound.deviceId);
  const unverified = await createDevice(sandbox, mine);
  const push = await (await callApi(sandbox, "POST", "/api/user/mfa/challenges", mine)).json();
  const request = await requestDeviceBinding(sandbox, mine);

  // Theirs: a plain token, and a confirmed one of a bound device of their own (past every 403 check).
  const theirs = (await passwordToken(sandbox, other)).access_token;
  const theirsConfirmed = await confirm(sandbox, theirs);
  const wrong = createTestDeviceKey().sign("a guess");

  const same = async (probe: (id: string) => Promise<Response>, id: string) => {
    const foreign = await seen(await probe(id));
    const unknown = await seen(await probe(randomUUID()));
    expect(foreign, `probing ${id}`).toEqual(unknown);
    return foreign;
  };

  const verifyDevice = (deviceId: string, challengeId: string) =>
    callApi(sandbox, "POST", `/api/user/devices/${deviceId}/verify`, theirs, {
      challengeId,
      signature: wrong,
    });
  expect(await same((id) => verifyDevice(id, unverified.challengeId), unverified.deviceId)).toMatchObject({
    status: 404,
  });
  // Their own device with my OTP's challenge id.
  await same((id) => verifyDevice(theirsConfirmed.deviceId, id), unverified.challengeId);

  const newChallenge = (deviceId: string) =>
    callApi(sandbox, "POST", `/api/user/devices/${deviceId}/challenges`, theirs);
  expect((await same(newChallenge, bound.deviceId)).status).toBe(404);

  const verifyChallenge = (deviceId: string, challengeId: string) =>
    callApi(sandbox, "POST", `/api/user/devices/${deviceId}/challenges/${challengeId}/verify`, theirs, {
      signature: wrong,
    });
  await same((id) => verifyChallenge(id, challenge.id), bound.deviceId);
  await same((id) => verifyChallenge(theirsConfirmed.deviceId, id), challenge.id);

  const pushPath = (id: string) => `/api/user/mfa/challenges/${id}`;
  expect((await same((id) => callApi(sandbox, "GET", pushPath(id), theirs), push.id)).status).toBe(404);
  const deny = (id: string) =>
    callApi(sandbox, "PATCH", pushPath(id), theirsConfirmed.token, { status: "DENIED" });
  expect((await same(deny, push.id)).status).toBe(404);
  const takeToken = (id: string) => callApi(sandbox, "POST", `${pushPath(id)}/token`, theirs);
  expect((await same(takeToken, push.id)).status).toBe(404);

  const graphQL = (token: string, query: string) => (variables: Record<string, unknown>) =>
    postGraphQL(sandbox, token, { query, variables });
  const getRequest = graphQL(theirs, deviceGraphQL.getDeviceBindingRequest);
  expect(JSON.parse((await same((id) => getRequest({ id }), request.id)).body)).toEqual({
    data: { getDeviceBindingRequest: null },
  });
  const answerRequest = graphQL(theirsConfirmed.token, deviceGraphQL.updateDeviceBindingRequest);
  const refused = await same((id) => answerRequest({ id, isConfirmation: true }), request.id);
  expect(JSON.parse(refused.body).errors[0].extensions.status).toBe(404);
  const deleteDevice = graphQL(theirs, deviceGraphQL.deleteBoundDevice);
  const notDeleted = await same((deviceId) => deleteDevice({ deviceId }), bound.deviceId);
  expect(JSON.parse(notDeleted.body).errors[0].extensions.status).toBe(404);

  // Nothing was touched: the OTP and the challenge kept their attempts, the rest is as it was.
  const ownVerify = await callApi(sandbox, "POST", `/api/user/devices/${unverified.deviceId}/verify`, mine, {
    challengeId: unverified.challengeId,
    signature: unverified.key.sign(unverified.otp),
  });
  expect(ownVerify.status).toBe(204);
  const ownChallenge = await callApi(
    sandbox,
    "POST",
    `/api/user/devices/${bound.deviceId}/challenges/${challenge.id}/verify`,
    mine,
    { signature: bound.key.sign(challenge.stringToSign) },
  );
  expect(ownChallenge.status).toBe(200);
  expect(await (await callApi(sandbox, "GET", pushPath(push.id), mine)).json()).toMatchObject({
    status: "PENDING",
  });
  const ownRequest = await postGraphQL(sandbox, mine, {
    query: deviceGraphQL.getDeviceBindingRequest,
    variables: { id: request.id },
  });
  expect((await ownRequest.json()).data.getDeviceBindingRequest).toMatchObject({
    confirmedAt: null,
    rejectedAt: null,
  });
  expect(await boundDevices(sandbox, mine)).toHaveLength(2);
});
