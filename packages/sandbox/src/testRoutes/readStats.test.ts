import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { confirm, demo, passwordToken, postToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const stats = async () => {
  const response = await fetch(`${sandbox.url}/sandbox/stats`);
  expect(response.status).toBe(200);
  return response.json();
};

describe("GET /sandbox/stats", () => {
  it("starts empty", async () => {
    expect(await stats()).toEqual({ requests: {}, grants: {} });
  });

  it("counts requests per method and route pattern, refused ones too, and token requests per grant", async () => {
    const { access_token, refresh_token } = await passwordToken(sandbox);
    await confirm(sandbox, access_token);
    await postToken(sandbox, {
      grant_type: "refresh_token",
      refresh_token: refresh_token ?? "",
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    });
    await postToken(sandbox, {
      grant_type: "password",
      username: demo.email,
      password: "wrong",
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    });
    await postToken(sandbox, {
      grant_type: "authorization_code",
      code: "x",
      redirect_uri: "http://localhost:1/",
    });
    await fetch(`${sandbox.url}/api/user/mfa/challenges`); // 401, still counted
    await fetch(`${sandbox.url}/sandbox/sms`); // test support: not counted
    await fetch(`${sandbox.url}/sandbox/emails`); // test support: not counted
    await fetch(`${sandbox.url}/no/such/route`); // 404: not counted
    await fetch(`${sandbox.url}/api/user/devices`); // 405: not counted

    expect(await stats()).toEqual({
      requests: {
        "POST /api/oauth/token": 4,
        // confirm() starts with a device binding request (createDeviceBindingRequest); the user's
        // confirmation goes through /sandbox/ and is not counted.
        "POST /api/graphql": 1,
        "POST /api/user/devices": 1,
        "POST /api/user/devices/{deviceId}/verify": 1,
        "POST /api/user/devices/{deviceId}/challenges": 1,
        "POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify": 1,
        "GET /api/user/mfa/challenges": 1,
      },
      grants: { password: 2, refresh_token: 1, authorization_code: 1 },
    });
  });
});
