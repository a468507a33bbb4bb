import { type ChildProcess, spawn } from "node:child_process";
import { createHash, generateKeyPairSync, type KeyObject, randomInt, sign } from "node:crypto";
import { once } from "node:events";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createSandboxTestClient, type SandboxTestClient } from "@kontist-auth/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A client written only from Kontist's public docs (kontist.dev: docs.markdown and
// docs/advanced-authentication.markdown) and what Kontist's JS SDK sends — fetch, node:crypto, GraphQL as
// plain strings, none of this project's client packages — against the built `kontist-sandbox` command in its own
// process, in its default mode, the way an outside developer meets the sandbox. The only sandbox-specific
// parts are the user's own actions: reading the SMS and the e-mail, clicking the e-mail's link, and
// approving a push notification on the phone (the `/sandbox/` routes, through the sandbox's test client).

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
let server: ChildProcess;
let base: string;
/** The user and their phone, at the sandbox's test-support routes. */
let user: SandboxTestClient;

beforeAll(async () => {
  server = spawn(process.execPath, [resolve(root, "packages/sandbox/dist/bin.js"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  base = await new Promise<string>((resolveUrl, reject) => {
    let output = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url) resolveUrl(url);
    });
    server.once("exit", (code) => reject(new Error(`kontist-sandbox exited with ${code}`)));
  });
  user = createSandboxTestClient(base);
});

afterAll(async () => {
  server.kill("SIGTERM");
  if (server.exitCode === null) await once(server, "exit");
});

/** A token request as Kontist's SDK sends it: HTTP Basic over the raw `client_id:client_secret`. */
function form(fields: Record<string, string>) {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${Buffer.from("demo-client:demo-secret").toString("base64")}`,
    },
    body: new URLSearchParams(fields).toString(),
  };
}

/** A token request as every curl example of the docs sends it: `client_id` and `client_secret` in the body. */
function documentedForm(fields: Record<string, string>) {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ...fields,
      client_id: "demo-client",
      client_secret: "demo-secret",
    }).toString(),
  };
}

/** `POST /api/graphql` `{ query, variables }` with a bearer token, as the docs' curl example. */
async function graphQL(accessToken: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${base}/api/graphql`, json(accessToken, { query, variables }));
  return { status: response.status, body: (await response.json()) as GraphQLAnswer };
}

/** `data[field]` of a GraphQL answer, or a failure naming the errors it carried instead. */
function dataOf<T>(answer: { body: GraphQLAnswer }, field: string): T {
  const value = answer.body.data?.[field];
  if (value === undefined || value === null) {
    throw new Error(`no ${field} in the answer: ${JSON.stringify(answer.body.errors)}`);
  }
  return value as T;
}

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { status?: number; type?: string } }[];
}

const createDeviceBindingRequest = `mutation ($deviceName: String!) {
  createDeviceBindingRequest(deviceName: $deviceName) { id ipAddress deviceName address confirmedAt rejectedAt createdAt }
}`;
const getDeviceBindingRequest = `query ($id: String) {
  getDeviceBindingRequest(id: $id) { id confirmedAt rejectedAt }
}`;

/** The user's part: the e-mail about request `id`, and a click on its "Confirm" link. */
async function confirmFromEmail(id: string): Promise<{ to: string; link?: string }> {
  const email = await user.bindingRequestEmail(id);
  await user.confirmBindingRequest(id);
  return email;
}

/** The newest SMS one-time password, as the user reads it from their phone. */
async function latestOtp(): Promise<string> {
  const sms = (await user.sms()).at(-1);
  expect(sms?.to).toBe("+4915100000000");
  return sms?.otp ?? "";
}

function json(accessToken: string, body?: unknown) {
  return {
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** `key` per API.md: the uncompressed point, no ASN.1 header; upper-case, since either case is allowed. */
function deviceKeyHex(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: "spki", format: "der" });
  return spki
    .subarray(spki.length - 65)
    .toString("hex")
    .toUpperCase();
}

/** `signature` per API.md: hex of DER ECDSA-SHA256 over the UTF-8 string, as OpenSSL makes it (any S). */
function signatureHex(privateKey: KeyObject, text: string): string {
  return sign("sha256", Buffer.from(text, "utf8"), { key: privateKey, dsaEncoding: "der" }).toString("hex");
}

function passwordLogin(scope: string): Promise<Response> {
  const fields = { grant_type: "password", username: "demo@example.com", password: "demo-password", scope };
  return fetch(`${base}/api/oauth/token`, form(fields));
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
}

describe("the sandbox as an independent client sees it", () => {
  it("binds a device after a confirmed binding request, passes MFA, renews, and approves a push challenge", async () => {
    const login = await passwordLogin("accounts users offline");
    expect(login.status).toBe(200);
    const tokens = (await login.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3599, scope: "accounts users offline" });
    const accessToken = tokens.access_token as string;
    expect(typeof tokens.refresh_token).toBe("string");

    // Since December 2023: a device binding request first, confirmed by the user by e-mail.
    const requested = await graphQL(accessToken, createDeviceBindingRequest, { deviceName: "independent" });
    expect(requested.status).toBe(200);
    const request = dataOf<Record<string, unknown>>(requested, "createDeviceBindingRequest");
    expect(request).toMatchObject({ deviceName: "independent", confirmedAt: null, rejectedAt: null });
    expect(typeof request.ipAddress).toBe("string");
    expect(typeof request.address).toBe("string");
    const email = await confirmFromEmail(request.id as string);
    expect(email.to).toBe("demo@example.com");
    const polled = await graphQL(accessToken, getDeviceBindingRequest, { id: request.id });
    expect(polled.body.data?.getDeviceBindingRequest).toMatchObject({ id: request.id, rejectedAt: null });
    expect(
      Date.parse(dataOf<{ confirmedAt: string }>(polled, "getDeviceBindingRequest").confirmedAt),
    ).not.toBeNaN();

    // Then 3 minutes to create and verify the device.
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const created = await fetch(
      `${base}/api/user/devices`,
      json(accessToken, { name: "independent", key: deviceKeyHex(publicKey) }),
    );
    expect([200, 201]).toContain(created.status);
    const { deviceId, challengeId } = (await created.json()) as { deviceId: string; challengeId: string };
    expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);

    const verified = await fetch(
      `${base}/api/user/devices/${deviceId}/verify`,
      json(accessToken, {
        challengeId,
        signature: signatureHex(privateKey, await latestOtp()).toUpperCase(),
      }),
    );
    expect(verified.status).toBe(204);

    const challengeResponse = await fetch(
      `${base}/api/user/devices/${deviceId}/challenges`,
      json(accessToken),
    );
    expect([200, 201]).toContain(challengeResponse.status);
    const challenge = (await challengeResponse.json()) as { id: string; stringToSign: string };

    const confirmedResponse = await fetch(
      `${base}/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
      json(accessToken, { signature: signatureHex(privateKey, challenge.stringToSign).toUpperCase() }),
    );
    expect(confirmedResponse.status).toBe(200);
    const confirmed = (await confirmedResponse.json()) as { token: string; refresh_token: string };
    expect(claims(confirmed.token)).toMatchObject({ cnf: { kid: deviceId } });

    // Renewal with the confirmed refresh token, client credentials in the body as the docs send them.
    const refreshed = await fetch(
      `${base}/api/oauth/token`,
      documentedForm({ grant_type: "refresh_token", refresh_token: confirmed.refresh_token }),
    );
    expect(refreshed.status).toBe(200);
    const renewed = (await refreshed.json()) as { access_token: string; expires_in: number };
    expect(renewed.expires_in).toBe(3599);
    expect(claims(renewed.access_token)).toMatchObject({ cnf: { kid: deviceId }, client_id: "demo-client" });

    const account = await graphQL(renewed.access_token, "{ viewer { email mainAccount { iban balance } } }");
    expect(account.body.errors).toBeUndefined();
    expect(account.body.data?.viewer).toMatchObject({ email: "demo@example.com" });

    const listed = await graphQL(renewed.access_token, "{ listBoundDevices { id name } }");
    expect(listed.body.data?.listBoundDevices).toContainEqual({ id: deviceId, name: "independent" });

    // Push MFA for another login, approved from the bound device (the docs' own MFA flow).
    const other = (await (await passwordLogin("accounts users")).json()) as { access_token: string };
    const pushResponse = await fetch(`${base}/api/user/mfa/challenges`, json(other.access_token));
    expect([200, 201]).toContain(pushResponse.status);
    const push = (await pushResponse.json()) as { id: string; status: string; expiresAt: string };
    expect(push.status).toBe("PENDING");
    const pending = (await (
      await fetch(`${base}/api/user/mfa/challenges`, {
        headers: { Authorization: `Bearer ${renewed.access_token}` },
      })
    ).json()) as { id: string }[];
    expect(pending.map((entry) => entry.id)).toContain(push.id);
    const approved = await fetch(`${base}/api/user/mfa/challenges/${push.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${renewed.access_token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "VERIFIED" }),
    });
    expect(approved.status).toBe(204);
    const polledPush = (await (
      await fetch(`${base}/api/user/mfa/challenges/${push.id}`, {
        headers: { Authorization: `Bearer ${other.access_token}` },
      })
    ).json()) as { status: string };
    expect(polledPush.status).toBe("VERIFIED");
    const pushToken = await fetch(
      `${base}/api/user/mfa/challenges/${push.id}/token`,
      json(other.access_token),
    );
    expect(pushToken.status).toBe(200);
    expect(claims(((await pushToken.json()) as { token: string }).token).cnf).toBeDefined();

    // The bound device also answers a second device's binding request (updateDeviceBindingRequest).
    const second = await graphQL(other.access_token, createDeviceBindingRequest, { deviceName: "second" });
    const secondId = dataOf<{ id: string }>(second, "createDeviceBindingRequest").id;
    const unconfirmedAnswer = await graphQL(
      other.access_token,
      "mutation ($id: String!) { updateDeviceBindingRequest(id: $id, isConfirmation: false) }",
      { id: secondId },
    );
    expect(unconfirmedAnswer.body.errors?.[0]?.extensions).toEqual({
      status: 403,
      type: "http://www.iana.org/assignments/http-status-codes#403",
    });
    const answered = await graphQL(
      renewed.access_token,
      "mutation ($id: String!) { updateDeviceBindingRequest(id: $id, isConfirmation: false) }",
      { id: secondId },
    );
    expect(answered.body).toEqual({ data: { updateDeviceBindingRequest: true } });
    const rejected = await graphQL(other.access_token, getDeviceBindingRequest, { id: secondId });
    expect(
      dataOf<{ rejectedAt: string | null }>(rejected, "getDeviceBindingRequest").rejectedAt,
    ).not.toBeNull();

    const deleted = await graphQL(
      renewed.access_token,
      "mutation ($deviceId: String!) { deleteBoundDevice(deviceId: $deviceId) }",
      { deviceId },
    );
    expect(deleted.body).toEqual({ data: { deleteBoundDevice: true } });
  });

  it("logs in with PKCE and the docs' 16-digit verifier, passes MFA in the login, renews by web message, logs out", async () => {
    // The docs: "To generate the code verifier, it is recommended to use the output of a random number
    // generator"; their example verifier is 16 digits. The challenge is base64url(sha256(verifier)).
    const verifier = Array.from({ length: 16 }, () => randomInt(10)).join("");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const redirectUri = "http://127.0.0.1:5173/callback";
    const authorize = (extra: Record<string, string> = {}) =>
      `${base}/api/oauth/authorize?${new URLSearchParams({
        scope: "users accounts",
        response_type: "code",
        client_id: "demo-public",
        redirect_uri: redirectUri,
        state: "OPAQUE_VALUE",
        code_challenge_method: "S256",
        code_challenge: challenge,
        ...extra,
      })}`;

    // The login page (the browser's part): the password, then MFA — the user approves on their phone.
    const query = Object.fromEntries(new URL(authorize()).searchParams);
    const login = await fetch(`${base}/api/oauth/authorize`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ ...query, username: "demo@example.com", password: "demo-password" }),
    });
    expect(login.status).toBe(200);
    const waiting = await login.text();
    const challengeId = /data-mfa-challenge-id="([^"]+)"/.exec(waiting)?.[1] ?? "";
    const hidden = Object.fromEntries(
      [...waiting.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
        ([, name, value]) => [name ?? "", (value ?? "").replace(/&amp;/g, "&")],
      ),
    );
    await user.approveMfaChallenge(challengeId);
    const granted = await fetch(`${base}/api/oauth/authorize`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams(hidden),
    });
    expect(granted.status).toBe(302);
    const callback = new URL(granted.headers.get("location") ?? "");
    expect(callback.searchParams.get("state")).toBe("OPAQUE_VALUE");
    const cookie = (granted.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

    const exchange = (code: string) =>
      fetch(`${base}/api/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          client_id: "demo-public",
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      });
    const tokenResponse = await exchange(callback.searchParams.get("code") ?? "");
    expect(tokenResponse.status).toBe(200);
    const token = (await tokenResponse.json()) as { access_token: string; refresh_token?: string };
    expect(token.refresh_token).toBeUndefined(); // PKCE with a web redirect URI: no refresh token
    expect(claims(token.access_token).cnf).toBeDefined(); // the login included MFA

    // Renewal with prompt=none and response_mode=web_message: the page posts { response: { code } }.
    const renewal = await fetch(authorize({ prompt: "none", response_mode: "web_message" }), {
      headers: { cookie },
    });
    const script = await renewal.text();
    const message = JSON.parse(/var message = (\{.*?\});/s.exec(script)?.[1] ?? "null") as {
      response?: { code?: string };
    };
    const renewed = await exchange(message.response?.code ?? "");
    expect(renewed.status).toBe(200);
    expect(claims(((await renewed.json()) as { access_token: string }).access_token).cnf).toBeDefined();

    // Logout in the browser context ends the session: prompt=none then has nothing to answer from.
    const logout = await fetch(`${base}/oauth/logout`, { headers: { cookie } });
    expect(logout.status).toBe(200);
    const afterLogout = await fetch(authorize({ prompt: "none" }), {
      headers: { cookie },
      redirect: "manual",
    });
    expect(new URL(afterLogout.headers.get("location") ?? "").searchParams.get("code")).toBeNull();
  });

  it("refuses to create a device without a confirmed binding request", async () => {
    const { access_token: accessToken } = (await (await passwordLogin("users")).json()) as {
      access_token: string;
    };
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const created = await fetch(
      `${base}/api/user/devices`,
      json(accessToken, { name: "no request", key: deviceKeyHex(publicKey) }),
    );
    expect(created.status).toBe(403);
  });

  it("answers an unauthenticated GraphQL query with Kontist's error extensions", async () => {
    const response = await fetch(`${base}/api/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ viewer { id } }" }),
    });
    const body = (await response.json()) as GraphQLAnswer;
    expect(body.errors?.[0]?.extensions).toEqual({
      status: 401,
      type: "http://www.iana.org/assignments/http-status-codes#401",
    });
  });

  it("verifies a high-S signature, which OpenSSL-based signers emit half the time", async () => {
    const login = await passwordLogin("users");
    const { access_token: accessToken } = (await login.json()) as { access_token: string };
    const requested = await graphQL(accessToken, createDeviceBindingRequest, { deviceName: "high-s" });
    await confirmFromEmail(dataOf<{ id: string }>(requested, "createDeviceBindingRequest").id);
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const created = await fetch(
      `${base}/api/user/devices`,
      json(accessToken, { name: "high-s", key: deviceKeyHex(publicKey) }),
    );
    const { deviceId, challengeId } = (await created.json()) as { deviceId: string; challengeId: string };
    const otp = await latestOtp();

    const highS = toHighS(signatureHex(privateKey, otp));
    const verified = await fetch(
      `${base}/api/user/devices/${deviceId}/verify`,
      json(accessToken, { challengeId, signature: highS }),
    );
    expect(verified.status).toBe(204);
  });
});

const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Re-encodes a DER signature with s replaced by n − s when s is low (both verify under ECDSA). */
function toHighS(derHex: string): string {
  const der = Buffer.from(derHex, "hex");
  const rLength = der[3] ?? 0;
  const r = der.subarray(4, 4 + rLength);
  const sLength = der[5 + rLength] ?? 0;
  let s = BigInt(`0x${der.subarray(6 + rLength, 6 + rLength + sLength).toString("hex")}`);
  if (s <= n / 2n) s = n - s;
  const integer = (value: Buffer) => Buffer.concat([Buffer.from([0x02, value.length]), value]);
  const sHex = s.toString(16).padStart(64, "0");
  const sBytes = Buffer.from(`00${sHex}`, "hex"); // high S has its top bit set: a leading zero keeps it positive
  const body = Buffer.concat([integer(r), integer(sBytes)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString("hex");
}

// The helper above must itself be right for the test to mean anything.
it("toHighS yields an s above n/2", () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const der = Buffer.from(toHighS(signatureHex(privateKey, "x")), "hex");
  const rLength = der[3] ?? 0;
  const s = BigInt(`0x${der.subarray(6 + rLength).toString("hex")}`);
  expect(s > n / 2n).toBe(true);
});
