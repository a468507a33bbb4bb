import { deviceGraphQL, paths } from "@kontist-auth/protocol";
import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { createTestDeviceKey } from "./deviceKey";

/** Sends one request to a sandbox, in process (`app.fetch`) or over loopback HTTP (`fetch`). */
export type SendRequest = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * Real state for the fuzzer to aim at: the demo user's tokens (plain and confirmed), a bound device with an
 * open device challenge and a valid signature of it, a fresh key, a pending push challenge, binding
 * requests (confirmed and not), a login-session cookie. Made through the sandbox's own endpoints.
 */
export interface FuzzFixture {
  accessToken: string;
  confirmedToken: string;
  refreshToken: string;
  deviceId: string;
  /** The pending OTP challenge of a second, unverified device. */
  otpChallengeId: string;
  unverifiedDeviceId: string;
  deviceChallengeId: string;
  /** A valid DER signature of the open device challenge's `stringToSign`. */
  signature: string;
  /** A key that was never registered. */
  freshKeyHex: string;
  mfaChallengeId: string;
  bindingRequestIds: string[];
  /** `name=value` of the login-session cookie of `POST /api/oauth/authorize`. */
  sessionCookie: string;
  /** An unused authorization code of `demo-client` for `demo.redirectUri`. */
  authorizationCode: string;
}

/** The seeded demo client and user. */
export const demo = {
  clientId: "demo-client",
  clientSecret: "demo-secret",
  publicClientId: "demo-public",
  email: "demo@example.com",
  password: "demo-password",
  redirectUri: "http://127.0.0.1:5173/callback",
} as const;

async function json<T>(response: Promise<Response>, status: number, what: string): Promise<T> {
  const answer = await response;
  if (answer.status !== status) {
    throw new Error(`Fuzz fixture: ${what} answered ${answer.status}, not ${status}.`);
  }
  return (status === 204 ? undefined : await answer.json()) as T;
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

/** Creates the fixture through `send` (the Host header is set by the caller's `send`). */
export async function createFuzzFixture(send: SendRequest): Promise<FuzzFixture> {
  const token = await json<{ access_token: string; refresh_token: string }>(
    send(
      paths.token,
      form({
        grant_type: "password",
        username: demo.email,
        password: demo.password,
        client_id: demo.clientId,
        client_secret: demo.clientSecret,
      }),
    ),
    200,
    "the password grant",
  );
  const bearer = { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" };
  const post = (path: string, body?: unknown) =>
    send(path, { method: "POST", headers: bearer, body: body === undefined ? null : JSON.stringify(body) });
  const graphQL = async (query: string, variables: Record<string, unknown>) =>
    (
      await json<{ data: Record<string, { id: string }> }>(
        post(paths.graphQL, { query, variables }),
        200,
        "GraphQL",
      )
    ).data;
  const bindingRequest = async () =>
    (await graphQL(deviceGraphQL.createDeviceBindingRequest, { deviceName: "Fuzz phone" }))
      .createDeviceBindingRequest?.id ?? "";
  const latestOtp = async () => {
    const sms = await json<{ otp: string }[]>(send(sandboxPaths.sms), 200, "GET /sandbox/sms");
    return sms.at(-1)?.otp ?? "";
  };
  const registerDevice = async (key: ReturnType<typeof createTestDeviceKey>) => {
    const requestId = await bindingRequest();
    await json(
      post(sandboxPaths.confirmDeviceBindingRequest(requestId)),
      204,
      "confirming a binding request",
    );
    return json<{ deviceId: string; challengeId: string }>(
      post(paths.devices, { name: "Fuzz phone", key: key.keyHex }),
      201,
      "POST /api/user/devices",
    );
  };

  const key = createTestDeviceKey();
  const device = await registerDevice(key);
  await json(
    post(paths.verifyDevice(device.deviceId), {
      challengeId: device.challengeId,
      signature: key.sign(await latestOtp()),
    }),
    204,
    "verifying the device",
  );
  const challenge = () =>
    json<{ id: string; stringToSign: string }>(
      post(paths.deviceChallenges(device.deviceId)),
      201,
      "a device challenge",
    );
  const passed = await challenge();
  const confirmed = await json<{ token: string }>(
    post(paths.verifyDeviceChallenge(device.deviceId, passed.id), {
      signature: key.sign(passed.stringToSign),
    }),
    200,
    "verifying a device challenge",
  );
  const open = await challenge();
  const unverified = await registerDevice(createTestDeviceKey());
  const mfa = await json<{ id: string }>(post(paths.mfaChallenges), 201, "POST /api/user/mfa/challenges");
  const confirmedRequest = await bindingRequest();
  await json(
    post(sandboxPaths.confirmDeviceBindingRequest(confirmedRequest)),
    204,
    "confirming a binding request",
  );

  const login = await send(
    paths.authorize,
    form({
      response_type: "code",
      client_id: demo.clientId,
      redirect_uri: demo.redirectUri,
      skip_mfa: "true",
      username: demo.email,
      password: demo.password,
    }),
  );
  const sessionCookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (login.status !== 302 || sessionCookie === "") {
    throw new Error(`Fuzz fixture: the login answered ${login.status} without a session cookie.`);
  }

  return {
    accessToken: token.access_token,
    confirmedToken: confirmed.token,
    refreshToken: token.refresh_token,
    deviceId: device.deviceId,
    otpChallengeId: unverified.challengeId,
    unverifiedDeviceId: unverified.deviceId,
    deviceChallengeId: open.id,
    signature: key.sign(open.stringToSign),
    freshKeyHex: createTestDeviceKey().keyHex,
    mfaChallengeId: mfa.id,
    bindingRequestIds: [await bindingRequest(), confirmedRequest],
    sessionCookie,
    authorizationCode:
      new URL(login.headers.get("location") ?? "", demo.redirectUri).searchParams.get("code") ?? "",
  };
}
