import { deviceGraphQL } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeWithLogin, exchangeCode, getAuthorize, redirectParams } from "../../test/authorization";
import { bindDevice, boundDevices, callApi, demo, passwordToken, postGraphQL } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe("POST /sandbox/reset", () => {
  it("brings the sandbox back to its seeds (204): no devices, binding requests, SMS, e-mails, stats or refresh tokens", async () => {
    const { access_token, refresh_token } = await passwordToken(sandbox);
    await bindDevice(sandbox, access_token);

    const response = await fetch(`${sandbox.url}/sandbox/reset`, { method: "POST" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");

    expect(await (await fetch(`${sandbox.url}/sandbox/sms`)).json()).toEqual([]);
    expect(await sandbox.test.emails()).toEqual([]);
    expect(await (await fetch(`${sandbox.url}/sandbox/stats`)).json()).toEqual({ requests: {}, grants: {} });
    // Access tokens are stateless JWTs and stay valid; the devices behind them are gone.
    expect(await boundDevices(sandbox, access_token)).toEqual([]);
    const newest = await postGraphQL(sandbox, access_token, { query: deviceGraphQL.getDeviceBindingRequest });
    expect(await newest.json()).toEqual({ data: { getDeviceBindingRequest: null } });
    const refreshed = await fetch(`${sandbox.url}/api/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refresh_token ?? "",
        client_id: "demo-client",
        client_secret: "demo-secret",
      }),
    });
    expect(refreshed.status).toBe(400);
    // The seeds are still there.
    await passwordToken(sandbox);
  });

  it("drops login sessions, authorization codes, MFA challenges and faults too", async () => {
    const { access_token } = await passwordToken(sandbox);
    const { code, cookie } = await authorizeWithLogin(sandbox);
    const challenge = await (await callApi(sandbox, "POST", "/api/user/mfa/challenges", access_token)).json();
    await fetch(`${sandbox.url}/sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ route: "POST /api/graphql", fault: "error", times: 10 }),
    });

    expect((await fetch(`${sandbox.url}/sandbox/reset`, { method: "POST" })).status).toBe(204);

    expect(redirectParams(await getAuthorize(sandbox, { prompt: "none" }, { Cookie: cookie })).error).toBe(
      "login_required",
    );
    const exchanged = await exchangeCode(sandbox, code, {
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    });
    expect(exchanged.status).toBe(400);
    expect(
      (await callApi(sandbox, "GET", `/api/user/mfa/challenges/${challenge.id}`, access_token)).status,
    ).toBe(404);
    expect(await (await fetch(`${sandbox.url}/sandbox/faults`)).json()).toEqual([]);
    const graphQL = await callApi(sandbox, "POST", "/api/graphql", access_token, {
      query: "{ viewer { id } }",
    });
    expect(graphQL.status).toBe(200);
  });
});
