import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../src/index";
import { createTestDeviceKey } from "./deviceKey";
import { callApi, demo, jwtPayload, passwordToken, postToken } from "./requests";

// The whole device-binding flow as an independent client would run it from Kontist's public docs.
let sandbox: RunningSandbox;
const logLines: string[] = [];
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, log: (line) => logLines.push(line) });
});
afterAll(() => sandbox.close());

describe("device binding, end to end", () => {
  it("logs in, binds a device, confirms, refreshes confirmed, lists and deletes the device", async () => {
    const secrets: string[] = [demo.password, demo.clientSecret];

    // 1. Password grant.
    const token = await passwordToken(sandbox);
    secrets.push(token.access_token, token.refresh_token ?? "");

    // 2. Create the device; the OTP arrives by SMS.
    const key = createTestDeviceKey();
    secrets.push(key.keyHex);
    const created = await callApi(sandbox, "POST", "/api/user/devices", token.access_token, {
      name: "My phone",
      key: key.keyHex,
    });
    expect(created.status).toBe(201);
    const { deviceId, challengeId } = await created.json();
    const [sms] = await (await fetch(`${sandbox.url}/sandbox/sms`)).json();
    expect(sms.to).toBe(demo.mobileNumber);
    secrets.push(sms.otp);

    // 3. Verify it with the signed OTP.
    const otpSignature = key.sign(sms.otp);
    secrets.push(otpSignature);
    const verified = await callApi(
      sandbox,
      "POST",
      `/api/user/devices/${deviceId}/verify`,
      token.access_token,
      {
        challengeId,
        signature: otpSignature,
      },
    );
    expect(verified.status).toBe(204);

    // 4. Challenge and confirm.
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

    // 5. Refreshing the confirmed refresh token stays confirmed.
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

    // 6. List and delete.
    const list = await callApi(sandbox, "GET", "/api/user/devices", refreshedBody.access_token);
    expect(await list.json()).toEqual([{ id: deviceId, name: "My phone", createdAt: expect.any(String) }]);
    expect(
      (await callApi(sandbox, "DELETE", `/api/user/devices/${deviceId}`, refreshedBody.access_token)).status,
    ).toBe(204);

    // 7. Every step was counted; no log line holds a secret.
    const stats = await (await fetch(`${sandbox.url}/sandbox/stats`)).json();
    expect(stats).toEqual({
      requests: {
        "POST /api/oauth/token": 2,
        "POST /api/user/devices": 1,
        "POST /api/user/devices/{deviceId}/verify": 1,
        "POST /api/user/devices/{deviceId}/challenges": 1,
        "POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify": 1,
        "GET /api/user/devices": 1,
        "DELETE /api/user/devices/{deviceId}": 1,
      },
      grants: { password: 1, refresh_token: 1 },
    });
    expect(logLines.length).toBeGreaterThanOrEqual(9);
    const log = logLines.join("\n");
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
