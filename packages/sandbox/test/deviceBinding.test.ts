import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../src/index";
import { createTestDeviceKey } from "./deviceKey";
import { callApi, demo, jwtPayload, passwordToken, postToken } from "./requests";

// The whole device-binding flow as an independent client would run it from Kontist's public docs: plain
// fetch, GraphQL documents written out here, no helper of this package's own protocol. The user's part
// (the e-mail, its link, the SMS) is read through the sandbox's test client.
let sandbox: RunningSandbox;
const logLines: string[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: (line) => logLines.push(line) });
});
afterAll(() => sandbox.close());

async function graphQL(token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${sandbox.url}/api/graphql`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe("device binding, end to end", () => {
  it("requests binding, is confirmed by e-mail, binds, confirms, refreshes confirmed, lists and deletes the device", async () => {
    const secrets: string[] = [demo.password, demo.clientSecret];

    // 1. Password grant.
    const token = await passwordToken(sandbox);
    secrets.push(token.access_token, token.refresh_token ?? "");

    // 2. A device binding request; the user gets an e-mail and confirms with its link.
    const { createDeviceBindingRequest: request } = await graphQL(
      token.access_token,
      `mutation ($deviceName: String!) {
        createDeviceBindingRequest(deviceName: $deviceName) { id ipAddress deviceName address confirmedAt }
      }`,
      { deviceName: "My phone" },
    );
    expect(request).toMatchObject({ deviceName: "My phone", ipAddress: "127.0.0.1", confirmedAt: null });
    const [email] = await sandbox.test.emails();
    expect(email).toMatchObject({ to: demo.email, deviceBindingRequestId: request.id });
    const link = email?.link ?? "";
    const page = await (await fetch(link)).text();
    const confirmAction = /<form method="post" action="([^"]+)"><button type="submit">Confirm</.exec(
      page,
    )?.[1];
    expect(confirmAction).toBeDefined();
    expect((await fetch(new URL(confirmAction ?? "", link), { method: "POST" })).status).toBe(204);
    const { getDeviceBindingRequest } = await graphQL(
      token.access_token,
      "query ($id: String) { getDeviceBindingRequest(id: $id) { confirmedAt rejectedAt } }",
      { id: request.id },
    );
    expect(getDeviceBindingRequest).toEqual({ confirmedAt: expect.any(String), rejectedAt: null });

    // 3. Create the device within the window; the OTP arrives by SMS.
    const key = createTestDeviceKey();
    secrets.push(key.keyHex);
    const created = await callApi(sandbox, "POST", "/api/user/devices", token.access_token, {
      name: "My phone",
      key: key.keyHex,
    });
    expect(created.status).toBe(201);
    const { deviceId, challengeId } = await created.json();
    const [sms] = await sandbox.test.sms();
    expect(sms?.to).toBe(demo.mobileNumber);
    const otp = sms?.otp ?? "";
    secrets.push(otp);

    // 4. Verify it with the signed OTP.
    const otpSignature = key.sign(otp);
    secrets.push(otpSignature);
    const verified = await callApi(
      sandbox,
      "POST",
      `/api/user/devices/${deviceId}/verify`,
      token.access_token,
      { challengeId, signature: otpSignature },
    );
    expect(verified.status).toBe(204);

    // 5. Challenge and confirm.
    const challengeResponse = await callApi(
      sandbox,
      "POST",
      `/api/user/devices/${deviceId}/challenges`,
      token.access_token,
    );
    expect(challengeResponse.status).toBe(201);
    const challenge = await challengeResponse.json();
    const confirmedResponse = await callApi(
      sandbox,
      "POST",
      `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
      token.access_token,
      { signature: key.sign(challenge.stringToSign) },
    );
    expect(confirmedResponse.status).toBe(200);
    const confirmed = await confirmedResponse.json();
    secrets.push(confirmed.token, confirmed.refresh_token);
    expect(jwtPayload(confirmed.token).cnf).toEqual({ kid: deviceId });

    // 6. Refreshing the confirmed refresh token stays confirmed.
    const refreshed = await postToken(sandbox, {
      grant_type: "refresh_token",
      refresh_token: confirmed.refresh_token,
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    });
    expect(refreshed.status).toBe(200);
    const refreshedBody = await refreshed.json();
    secrets.push(refreshedBody.access_token);
    expect(jwtPayload(refreshedBody.access_token).cnf).toEqual({ kid: deviceId });

    // 7. List and delete over GraphQL.
    expect(await graphQL(refreshedBody.access_token, "{ listBoundDevices { id name } }")).toEqual({
      listBoundDevices: [{ id: deviceId, name: "My phone" }],
    });
    expect(
      await graphQL(
        refreshedBody.access_token,
        "mutation ($deviceId: String!) { deleteBoundDevice(deviceId: $deviceId) }",
        { deviceId },
      ),
    ).toEqual({ deleteBoundDevice: true });
    expect(await graphQL(refreshedBody.access_token, "{ listBoundDevices { id } }")).toEqual({
      listBoundDevices: [],
    });

    // 8. Every Kontist step was counted (test support is not); no log line holds a secret.
    const stats = await sandbox.test.stats();
    expect(stats).toEqual({
      requests: {
        "POST /api/oauth/token": 2,
        "POST /api/graphql": 5,
        "POST /api/user/devices": 1,
        "POST /api/user/devices/{deviceId}/verify": 1,
        "POST /api/user/devices/{deviceId}/challenges": 1,
        "POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify": 1,
      },
      grants: { password: 1, refresh_token: 1 },
    });
    expect(logLines.length).toBeGreaterThanOrEqual(11);
    const log = logLines.join("\n");
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
