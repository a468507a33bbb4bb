import { inspect } from "node:util";
import { createSoftwareSigner, toDeviceKeyHex } from "@kontist-auth/crypto";
import { isKontistAuthError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import type { GraphQLError } from "./GraphQLError";

// Every secret the tests below send; the echoing server puts each one back into its error bodies.
const password = "pa55word-Secret!";
const clientSecret = "client-secret-7f3a";
const refreshToken = "refresh-token-9c1e";
const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000, jti: "at-5e2d" });
const otp = "482913";
const signer = createSoftwareSigner();

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** All the ways an error can end up in a log. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [
    e.message,
    String(e),
    e.stack ?? "",
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    inspect({ wrapped: e }, { depth: 10 }),
  ];
}

async function secrets(): Promise<string[]> {
  const key = toDeviceKeyHex(await signer.getPublicKey());
  const basic = Buffer.from(`c:${clientSecret}`).toString("base64");
  return [password, clientSecret, refreshToken, accessToken, otp, key, basic];
}

/** Puts everything the request carried into the error: headers, body, and the OTP of the test. */
function echo(request: { url: string; headers: Record<string, unknown>; body: string }): string {
  const sent = `you sent ${JSON.stringify(request.headers)} ${request.body} ${decodeURIComponent(request.body)}`;
  // Only the device verification knows the OTP: it sent it by SMS.
  return request.url.endsWith("/verify") ? `${sent} otp ${otp}` : sent;
}

async function collectErrors(): Promise<unknown[]> {
  const errors: unknown[] = [];
  const capture = (promise: Promise<unknown>) =>
    promise.then(
      () => errors.push("no error"),
      (e) => errors.push(e),
    );
  let mode: "oauth" | "message" | "unauthorized" | "malformed" | "missing" | "redirect" | "reset" | "hang" =
    "oauth";
  server = await startLoopbackServer((request, response, raw) => {
    if (request.url === "/api/user/devices" && mode === "message") {
      return sendJson(response, 201, { deviceId: "device-1", challengeId: "challenge-1" });
    }
    switch (mode) {
      case "oauth":
        return sendJson(response, 400, { error: "invalid_grant", error_description: echo(request) });
      case "message":
        return sendJson(response, 400, { message: echo(request), status: 400 });
      case "unauthorized":
        return sendJson(response, 401, { message: echo(request), status: 401 });
      case "malformed":
        return void response
          .writeHead(200, { "content-type": "application/json" })
          .end(`{"x":"${echo(request)}`);
      case "missing":
        return sendJson(response, 200, {
          token_type: "Bearer",
          refresh_token: refreshToken,
          echo: echo(request),
        });
      case "redirect":
        return void response
          .writeHead(307, { location: `http://127.0.0.1:9/?${encodeURIComponent(echo(request))}` })
          .end(echo(request));
      case "reset":
        raw.socket.resetAndDestroy();
        return;
      case "hang":
        return;
    }
  });
  const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret, timeout: 300 });
  const { tokenManager, device } = client.auth;

  await capture(tokenManager.refresh()); // TokenRenewalError
  await capture(device.createDeviceChallenge("device-1")); // NoTokenError
  await capture(tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password }));
  tokenManager.setToken(accessToken, refreshToken);
  await capture(tokenManager.refresh());
  mode = "message";
  await capture(device.bind({ signer, name: "d", otp: async () => otp, bindingRequest: false }));
  await capture(device.confirm({ signer, deviceId: "device-1" }));
  mode = "unauthorized";
  await capture(device.createDeviceChallenge("device-1"));
  await capture(tokenManager.fetchTokenFromCredentials({ username: "u", password }));
  mode = "malformed";
  await capture(tokenManager.refresh());
  await capture(device.createDeviceChallenge("device-1"));
  mode = "missing";
  await capture(tokenManager.fetchTokenFromCredentials({ username: "u", password }));
  mode = "redirect"; // finding 5: not followed, and neither Location nor body is kept
  await capture(tokenManager.refresh());
  mode = "reset";
  await capture(tokenManager.refresh());
  mode = "hang";
  await capture(device.verifyDeviceChallenge("device-1", "challenge-1", { signature: "3006020101020101" }));
  return errors;
}

describe("errors never contain a secret", () => {
  it("covers every error code, even when the server echoes the secrets back", async () => {
    const errors = await collectErrors();
    expect(errors.map((error) => (isKontistAuthError(error) ? error.code : error))).toEqual([
      "TOKEN_RENEWAL_FAILED",
      "NO_TOKEN",
      "OAUTH2_ERROR",
      "OAUTH2_ERROR",
      "HTTP_ERROR",
      "HTTP_ERROR",
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "INVALID_RESPONSE",
      "INVALID_RESPONSE",
      "INVALID_RESPONSE",
      "UNEXPECTED_REDIRECT",
      "NETWORK_ERROR",
      "TIMEOUT",
    ]);
    const all = await secrets();
    for (const error of errors) {
      for (const text of renderings(error)) {
        for (const secret of all) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(encodeURIComponent(secret));
          expect(text).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2));
        }
      }
    }
    // The server's words are kept, with the secrets cut out.
    expect((errors[2] as Error).message).toContain("[redacted]");
    expect((errors[4] as Error).message).toContain("you sent");
  });

  it("keeps no request or response object as a cause", async () => {
    const errors = await collectErrors();
    for (const error of errors) {
      const cause = (error as Error).cause;
      if (isKontistAuthError(error, "NETWORK_ERROR")) expect(cause).toBeInstanceOf(Error);
      else expect(cause).toBeUndefined();
    }
  });
});

describe("errors of the authorization code, GraphQL and push flows never contain a secret", () => {
  it("redacts codes, verifiers, client secrets and tokens the server echoes back", async () => {
    const verifier = "verifier-0123456789-0123456789-0123456789-abc";
    const code = "authorization-code-4d2f";
    server = await startLoopbackServer((request, response) => {
      if (request.url === "/api/oauth/token") {
        return sendJson(response, 400, { error: "invalid_grant", error_description: echo(request) });
      }
      if (request.url === "/api/graphql") {
        return sendJson(response, 200, {
          errors: [{ message: echo(request), extensions: { echo: echo(request) } }],
        });
      }
      if (request.method === "POST") {
        return sendJson(response, 201, {
          id: "ch-1",
          status: "PENDING",
          expiresAt: new Date(Date.now() + 50).toISOString(),
        });
      }
      return sendJson(response, 410, { message: `expired ${echo(request)}`, status: 410 });
    });
    const redirectUri = "http://localhost:3000/callback";
    const callback = `${redirectUri}?code=${code}&state=st`;
    const errors: unknown[] = [];
    const capture = (promise: Promise<unknown>) =>
      promise.then(
        () => errors.push("no error"),
        (e) => errors.push(e),
      );

    const pkce = new Client({ baseUrl: server.url, clientId: "c", redirectUri, state: "st", verifier });
    await capture(pkce.auth.tokenManager.fetchToken(callback));
    const confidential = new Client({
      baseUrl: server.url,
      clientId: "c",
      clientSecret,
      redirectUri,
      state: "st",
    });
    await capture(confidential.auth.tokenManager.fetchToken(callback));
    await capture(confidential.auth.tokenManager.fetchToken(`${redirectUri}?code=${code}&state=other`));
    await capture(confidential.auth.tokenManager.fetchToken(`${redirectUri}?error=access_denied&state=st`));
    await capture(
      confidential.auth.tokenManager.fetchToken(
        `${redirectUri}?state=st&error=${encodeURIComponent('{"type":"AccessDeniedError"}')}`,
      ),
    );
    confidential.auth.tokenManager.setToken(accessToken);
    await capture(confidential.graphQL.rawQuery("{ viewer { id } }"));
    await capture(confidential.auth.push.getConfirmedToken({ pollInterval: 10 }));

    expect(errors.map((error) => (isKontistAuthError(error) ? error.code : error))).toEqual([
      "OAUTH2_ERROR",
      "OAUTH2_ERROR",
      "STATE_MISMATCH",
      "AUTHORIZATION_ERROR",
      "AUTHORIZATION_ERROR",
      "GRAPHQL_ERROR",
      "CHALLENGE_EXPIRED",
    ]);
    const all = [...(await secrets()), verifier, code];
    for (const error of errors) {
      for (const text of renderings(error)) {
        for (const secret of all) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(encodeURIComponent(secret));
        }
      }
    }
    expect((errors[5] as Error).message).toContain("[redacted]");
  });

  it.each(["body", "basic"] as const)(
    "redacts a client secret (beyond Latin-1) sent in the %s, echoed raw, encoded or as the Basic credential",
    async (clientAuthentication) => {
      const secret = "sécret-€-7f3a-秘密";
      server = await startLoopbackServer((request, response) => {
        const basic = request.headers.authorization?.replace(/^Basic /, "") ?? "";
        const decoded = Buffer.from(basic, "base64").toString("utf8");
        return sendJson(response, 401, {
          error: "invalid_client",
          error_description: `${echo(request)} credential ${basic} decoded ${decoded}`,
        });
      });
      const client = new Client({
        baseUrl: server.url,
        clientId: "c",
        clientSecret: secret,
        clientAuthentication,
      });
      const error = await client.auth.tokenManager
        .fetchTokenFromCredentials({ username: "u", password })
        .catch((e: unknown) => e);
      expect(isKontistAuthError(error, "OAUTH2_ERROR")).toBe(true);
      const basic = Buffer.from(`c:${secret}`, "utf8").toString("base64");
      for (const text of renderings(error)) {
        for (const leaked of [secret, password, basic]) {
          expect(text).not.toContain(leaked);
          expect(text).not.toContain(encodeURIComponent(leaked));
          expect(text).not.toContain(new URLSearchParams({ s: leaked }).toString().slice(2));
        }
      }
      expect((error as Error).message).toContain("[redacted]");
    },
  );
});

describe("errors of device binding requests and bound devices never contain a secret", () => {
  it("covers each of their error codes, even when the server echoes the secrets back", async () => {
    type Mode = "errors" | "empty" | "rejected" | "pending" | "malformed" | "bind";
    let mode: Mode = "errors";
    const pending = {
      id: "r-1",
      ipAddress: "127.0.0.1",
      deviceName: "d",
      address: "Berlin",
      confirmedAt: null,
    };
    server = await startLoopbackServer((request, response) => {
      const said = echo(request);
      if (request.url !== "/api/graphql") {
        // Only reached in "bind" mode: the device is created, and its verification fails echoing the OTP.
        if (request.url === "/api/user/devices") {
          return sendJson(response, 201, { deviceId: "device-1", challengeId: "challenge-1" });
        }
        return sendJson(response, 400, { message: said, status: 400 });
      }
      const operation = /^(?:query|mutation) (\w+)/.exec(JSON.parse(request.body).query)?.[1] ?? "";
      const data = (value: unknown) => sendJson(response, 200, { data: { [operation]: value } });
      switch (mode) {
        case "errors":
          return sendJson(response, 200, {
            data: null,
            errors: [{ message: said, extensions: { status: 403, type: said, echo: said } }],
          });
        case "empty":
          return data(operation === "getDeviceBindingRequest" ? null : false);
        case "rejected":
          return data({ ...pending, rejectedAt: "2026-01-01T00:00:00.000Z", deviceName: said });
        case "pending":
          return data({ ...pending, deviceName: said });
        case "malformed":
          return data([{ id: said }]);
        case "bind":
          return data({ ...pending, confirmedAt: "2026-01-01T00:00:00.000Z" });
      }
    });
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret, timeout: 300 });
    client.auth.tokenManager.setToken(accessToken, refreshToken);
    const { device } = client.auth;
    const errors: unknown[] = [];
    const capture = (promise: Promise<unknown>) =>
      promise.then(
        () => errors.push("no error"),
        (e) => errors.push(e),
      );

    await capture(device.requestBinding({ name: "d" }));
    await capture(device.waitForBindingConfirmation("r-1", { pollInterval: 10 }));
    await capture(device.answerBindingRequest("r-1", true));
    await capture(device.list());
    await capture(device.remove("device-1"));
    await capture(device.bind({ signer, name: "d", otp: async () => otp }));
    mode = "empty";
    await capture(device.getBindingRequest("r-1"));
    await capture(device.answerBindingRequest("r-1", false));
    await capture(device.remove("device-1"));
    mode = "rejected";
    await capture(device.waitForBindingConfirmation("r-1", { pollInterval: 10 }));
    mode = "pending";
    await capture(device.waitForBindingConfirmation("r-1", { pollInterval: 10, timeout: 50 }));
    await capture(device.waitForBindingConfirmation("r-1", { signal: AbortSignal.abort("closed") }));
    mode = "malformed";
    await capture(device.list());
    mode = "bind";
    await capture(device.bind({ signer, name: "d", pollInterval: 10, otp: async () => otp }));

    expect(errors.map((error) => (isKontistAuthError(error) ? error.code : error))).toEqual([
      "GRAPHQL_ERROR",
      "GRAPHQL_ERROR",
      "GRAPHQL_ERROR",
      "GRAPHQL_ERROR",
      "GRAPHQL_ERROR",
      "GRAPHQL_ERROR",
      "DEVICE_BINDING_REQUEST_NOT_FOUND",
      "MUTATION_REFUSED",
      "MUTATION_REFUSED",
      "DEVICE_BINDING_REJECTED",
      "TIMEOUT",
      "DEVICE_BINDING_CANCELLED",
      "INVALID_RESPONSE",
      "HTTP_ERROR",
    ]);
    const all = await secrets();
    for (const error of errors) {
      for (const text of renderings(error)) {
        for (const secret of all) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(encodeURIComponent(secret));
        }
      }
    }
    // The server's words are kept, with the secrets cut out: in each entry, its type and extensions too.
    const graphQLError = errors[0] as GraphQLError;
    expect(graphQLError.message).toContain("[redacted]");
    expect(graphQLError.type).toContain("[redacted]");
    expect(graphQLError.status).toBe(403);
    expect((errors.at(-1) as Error).message).toContain("[redacted]");
  });
});
