import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMfaLogin } from "../../test/authorization";
import { callApi, createDevice, demo, other, passwordToken, requestDeviceBinding } from "../../test/requests";
import { type RunningSandbox, SandboxTestClientError, startSandbox } from "../index";
import { createSandboxTestClient } from "./createSandboxTestClient";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("it resolved"),
    (error: unknown) => error,
  );
}

/** Expects a `SANDBOX_REQUEST_FAILED` with `status`. */
async function expectRequestFailed(promise: Promise<unknown>, status: number): Promise<void> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(SandboxTestClientError);
  expect(isKontistAuthError(error, "SANDBOX_REQUEST_FAILED") && error.status).toBe(status);
}

const login = async () => (await passwordToken(sandbox)).access_token;
const createChallenge = async (token: string): Promise<{ id: string }> =>
  (await callApi(sandbox, "POST", "/api/user/mfa/challenges", token)).json();

describe("createSandboxTestClient", () => {
  it("is the client sandbox.test is, for the sandbox's URL", () => {
    const client = createSandboxTestClient(`${sandbox.url}/`);
    expect(client.url).toBe(sandbox.url);
    expect(sandbox.test.url).toBe(sandbox.url);
    expect(Object.keys(client).sort()).toEqual(Object.keys(sandbox.test).sort());
  });

  it("refuses a base URL that is not absolute and a timeout that is not positive", () => {
    expect(() => createSandboxTestClient("/relative")).toThrow(TypeError);
    expect(() => createSandboxTestClient(sandbox.url, { timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createSandboxTestClient(sandbox.url, { timeoutMs: Number.NaN })).toThrow(RangeError);
  });
});

describe("outboxes", () => {
  it("reads every SMS and the newest OTP, for anyone or for one number", async () => {
    const first = await createDevice(sandbox, await login());
    const second = await createDevice(sandbox, (await passwordToken(sandbox, other)).access_token);
    expect(await sandbox.test.sms()).toEqual([
      {
        to: demo.mobileNumber,
        text: expect.stringContaining(first.otp),
        otp: first.otp,
        sentAt: expect.any(String),
      },
      { to: "+4915100000001", text: expect.any(String), otp: second.otp, sentAt: expect.any(String) },
    ]);
    expect(await sandbox.test.latestOtp()).toBe(second.otp);
    expect(await sandbox.test.latestOtp(demo.mobileNumber)).toBe(first.otp);
  });

  it("fails with SANDBOX_NOTHING_SENT when there is no such SMS", async () => {
    const none = await failure(sandbox.test.latestOtp());
    expect(isKontistAuthError(none, "SANDBOX_NOTHING_SENT")).toBe(true);
    await createDevice(sandbox, await login());
    const elsewhere = await failure(sandbox.test.latestOtp("+4900"));
    expect(isKontistAuthError(elsewhere, "SANDBOX_NOTHING_SENT")).toBe(true);
    expect((elsewhere as Error).message).toBe("The sandbox sent no SMS to +4900.");
  });

  it("reads every e-mail and the newest one about a binding request", async () => {
    const token = await login();
    const first = await requestDeviceBinding(sandbox, token, "One");
    const second = await requestDeviceBinding(sandbox, token, "Two");
    const emails = await sandbox.test.emails();
    expect(emails.map((email) => email.deviceBindingRequestId)).toEqual([first.id, second.id]);
    expect(await sandbox.test.bindingRequestEmail(first.id)).toEqual(emails[0]);
    expect(await sandbox.test.bindingRequestEmail(first.id)).toMatchObject({
      to: demo.email,
      link: expect.stringContaining(first.id),
    });
    const none = await failure(sandbox.test.bindingRequestEmail("unknown"));
    expect(isKontistAuthError(none, "SANDBOX_NOTHING_SENT")).toBe(true);
  });
});

describe("the user's and the phone's answers", () => {
  it("confirms and rejects binding requests; 404 for an unknown one, 409 for an answered one", async () => {
    const token = await login();
    const confirmed = await requestDeviceBinding(sandbox, token, "One");
    const rejected = await requestDeviceBinding(sandbox, token, "Two");
    await sandbox.test.confirmBindingRequest(confirmed.id);
    await sandbox.test.rejectBindingRequest(rejected.id);
    await expectRequestFailed(sandbox.test.confirmBindingRequest(rejected.id), 409);
    await expectRequestFailed(sandbox.test.rejectBindingRequest("unknown"), 404);
    const error = await failure(sandbox.test.confirmBindingRequest("unknown"));
    expect((error as Error).message).toBe(
      "POST /sandbox/device-binding-requests/unknown/confirm answered 404: Device binding request not found.",
    );
  });

  it("lists push challenges and approves or denies them; 404 unknown, 409 answered", async () => {
    const token = await login();
    const approved = await createChallenge(token);
    const denied = await createChallenge(token);
    await sandbox.test.approveMfaChallenge(approved.id);
    await sandbox.test.denyMfaChallenge(denied.id);
    expect(await sandbox.test.mfaChallenges()).toEqual([
      { id: approved.id, userId: expect.any(String), status: "VERIFIED", expiresAt: expect.any(String) },
      { id: denied.id, userId: expect.any(String), status: "DENIED", expiresAt: expect.any(String) },
    ]);
    await expectRequestFailed(sandbox.test.denyMfaChallenge(approved.id), 409);
    await expectRequestFailed(sandbox.test.approveMfaChallenge("unknown"), 404);
  });

  it("approves a login waiting for MFA and follows it to the callback with a code", async () => {
    const pending = await startMfaLogin(sandbox);
    const callback = await sandbox.test.approveLogin(pending.fields);
    expect(callback.origin + callback.pathname).toBe("http://127.0.0.1:5173/callback");
    expect(callback.searchParams.get("code")).toEqual(expect.any(String));
    expect(callback.searchParams.get("state")).toBe("state-123");
    expect((await sandbox.test.mfaChallenges())[0]?.status).toBe("VERIFIED");
    await expectRequestFailed(sandbox.test.approveLogin({ ...pending.fields, pending_login: "forged" }), 400);
  });
});

describe("transactions, stats, faults and reset", () => {
  it("books a transaction for the first user or by e-mail; 404 for an unknown e-mail, 400 for a bad one", async () => {
    expect(await sandbox.test.bookTransaction({ amount: -1250, name: "Coffee" })).toEqual({
      id: expect.any(String),
    });
    expect(await sandbox.test.bookTransaction({ amount: 1, email: other.email })).toEqual({
      id: expect.any(String),
    });
    await expectRequestFailed(sandbox.test.bookTransaction({ amount: 1, email: "nobody@example.com" }), 404);
    await expectRequestFailed(sandbox.test.bookTransaction({ amount: 1.5 }), 400);
  });

  it("reads stats and counts grants", async () => {
    await login();
    await login();
    expect(await sandbox.test.stats()).toEqual({
      requests: { "POST /api/oauth/token": 2 },
      grants: { password: 2 },
    });
    expect(await sandbox.test.grantCount("password")).toBe(2);
    expect(await sandbox.test.grantCount("refresh_token")).toBe(0);
  });

  it("arms, lists and clears faults; 400 for a route that does not exist", async () => {
    const armed = await sandbox.test.injectFault({
      route: "POST /api/oauth/token",
      fault: "error",
      status: 503,
    });
    expect(armed).toEqual({
      id: expect.any(String),
      route: "POST /api/oauth/token",
      fault: "error",
      times: 1,
      delayMs: 0,
      status: 503,
    });
    expect(await sandbox.test.faults()).toEqual([armed]);
    const refused = await postTokenStatus();
    expect(refused).toBe(503);
    await sandbox.test.injectFault({ route: "POST /api/oauth/token", fault: "reset", times: 3 });
    await sandbox.test.clearFaults();
    expect(await sandbox.test.faults()).toEqual([]);
    await expectRequestFailed(sandbox.test.injectFault({ route: "GET /nowhere", fault: "reset" }), 400);
  });

  it("resets the sandbox over HTTP", async () => {
    await createDevice(sandbox, await login());
    await sandbox.test.injectFault({ route: "POST /api/oauth/token", fault: "delay" });
    await sandbox.test.reset();
    expect(await sandbox.test.sms()).toEqual([]);
    expect(await sandbox.test.faults()).toEqual([]);
    expect(await sandbox.test.stats()).toEqual({ requests: {}, grants: {} });
  });
});

async function postTokenStatus(): Promise<number> {
  const response = await fetch(`${sandbox.url}/api/oauth/token`, { method: "POST", body: "" });
  await response.body?.cancel();
  return response.status;
}

describe("answers that are not the sandbox's", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/sandbox/sms") {
        response.writeHead(200, { "Content-Type": "application/json" }).end('[{"to":"+49"}]');
      } else if (request.url === "/sandbox/stats") {
        response
          .writeHead(403, { "Content-Type": "application/json" })
          .end('{"message":"Not here.","status":403}');
      } else if (request.url === "/sandbox/reset") {
        response.writeHead(500, { "Content-Type": "text/html" }).end("<h1>Oops</h1>");
      }
      // /sandbox/emails never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("fails with INVALID_RESPONSE on a body that is not the protocol's, naming the field", async () => {
    const error = await failure(createSandboxTestClient(url).sms());
    expect(isKontistAuthError(error, "INVALID_RESPONSE") && error.field).toBe("0.text");
  });

  it("fails with SANDBOX_REQUEST_FAILED on another status, with the sandbox's message if any", async () => {
    const client = createSandboxTestClient(url);
    const refused = await failure(client.stats());
    expect(isKontistAuthError(refused, "SANDBOX_REQUEST_FAILED") && refused.status).toBe(403);
    expect((refused as Error).message).toBe("GET /sandbox/stats answered 403: Not here.");
    const broken = await failure(client.reset());
    expect((broken as Error).message).toBe("POST /sandbox/reset answered 500");
  });

  it("gives up after timeoutMs", async () => {
    const error = await failure(createSandboxTestClient(url, { timeoutMs: 50 }).emails());
    expect(error).toMatchObject({ name: "TimeoutError" });
  });
});
