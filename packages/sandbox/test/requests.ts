import { type BoundDevice, type DeviceBindingRequest, deviceGraphQL } from "@kontist-auth/protocol";
import { expect } from "vitest";
import type { RunningSandbox } from "../src/index";
import { createTestDeviceKey, type TestDeviceKey } from "./deviceKey";

/** The default seeds, as tests use them. */
export const demo = {
  clientId: "demo-client",
  clientSecret: "demo-secret",
  email: "demo@example.com",
  password: "demo-password",
  mobileNumber: "+4915100000000",
} as const;
export const other = { email: "other@example.com", password: "other-password" } as const;

/** Posts a form to the token endpoint. */
export function postToken(
  sandbox: RunningSandbox,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sandbox.url}/api/oauth/token`, {
    method: "POST",
    body: new URLSearchParams(params),
    headers,
  });
}

/** HTTP Basic credentials as Kontist's SDK sends them: `base64(client_id:client_secret)`, raw. */
export function basic(id: string, secret: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` };
}

/** HTTP Basic credentials with id and secret form-encoded first (RFC 6749 §2.3.1). */
export function formEncodedBasic(id: string, secret: string): Record<string, string> {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return { Authorization: `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}` };
}

/** A token response from the password grant of `demo-client`; fails the test unless 200. */
export async function passwordToken(
  sandbox: RunningSandbox,
  {
    email = demo.email,
    password = demo.password,
    scope,
  }: { email?: string; password?: string; scope?: string } = {},
): Promise<{
  access_token: string;
  refresh_token?: string;
  scope: string;
  expires_in: number;
  token_type: string;
}> {
  const response = await postToken(sandbox, {
    grant_type: "password",
    username: email,
    password,
    client_id: demo.clientId,
    client_secret: demo.clientSecret,
    ...(scope === undefined ? {} : { scope }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** Calls a `/api/user/*` endpoint with a bearer token and, when given, a JSON body. */
export function callApi(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  accessToken: string | undefined,
  body?: unknown,
): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      ...(accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` }),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The payload of a JWT, unverified. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
}

/** Posts a GraphQL request (`{ query, variables? }` or a raw string body) with a bearer token, if given. */
export function postGraphQL(
  sandbox: RunningSandbox,
  accessToken: string | undefined,
  body: unknown,
): Promise<Response> {
  return fetch(`${sandbox.url}/api/graphql`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A GraphQL error entry as the sandbox answers it. */
export interface GraphQLErrorAnswer {
  message: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions: { status: number; type: string };
}

/**
 * Runs a GraphQL document that executes (HTTP 200, which the test checks); returns the parsed
 * `{ data, errors? }`.
 */
export async function graphQLAnswer(
  sandbox: RunningSandbox,
  accessToken: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
  // `data` is whatever JSON the document selected (JSON.parse's type), so a test reads it freely.
): Promise<{ data: ReturnType<typeof JSON.parse>; errors?: GraphQLErrorAnswer[] }> {
  const response = await postGraphQL(sandbox, accessToken, {
    query,
    ...(variables === undefined ? {} : { variables }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** `createDeviceBindingRequest` over GraphQL; fails the test unless it answers without errors. */
export async function requestDeviceBinding(
  sandbox: RunningSandbox,
  accessToken: string,
  deviceName = "Test phone",
  deviceId?: string,
): Promise<DeviceBindingRequest> {
  const response = await postGraphQL(sandbox, accessToken, {
    query: deviceGraphQL.createDeviceBindingRequest,
    variables: { deviceName, ...(deviceId === undefined ? {} : { deviceId }) },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    data: { createDeviceBindingRequest: DeviceBindingRequest };
    errors?: unknown;
  };
  expect(body.errors).toBeUndefined();
  return body.data.createDeviceBindingRequest;
}

/** `listBoundDevices` over GraphQL; fails the test unless it answers without errors. */
export async function boundDevices(sandbox: RunningSandbox, accessToken: string): Promise<BoundDevice[]> {
  const response = await postGraphQL(sandbox, accessToken, { query: deviceGraphQL.listBoundDevices });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: { listBoundDevices: BoundDevice[] }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data.listBoundDevices;
}

/** `deleteBoundDevice` over GraphQL; returns the whole answer (`{ data, errors? }`). */
export function deleteBoundDevice(sandbox: RunningSandbox, accessToken: string, deviceId: string) {
  return graphQLAnswer(sandbox, accessToken, deviceGraphQL.deleteBoundDevice, { deviceId });
}

/** Creates a device binding request and confirms it as the user; returns its id. */
export async function confirmedBindingRequest(
  sandbox: RunningSandbox,
  accessToken: string,
  deviceName = "Test phone",
): Promise<string> {
  const { id } = await requestDeviceBinding(sandbox, accessToken, deviceName);
  await sandbox.test.confirmBindingRequest(id);
  return id;
}

/**
 * Registers a device (not verified yet) the current way: a device binding request, confirmed as the user,
 * then `POST /api/user/devices`. Returns its ids and the OTP that was "sent".
 */
export async function createDevice(
  sandbox: RunningSandbox,
  accessToken: string,
  key: TestDeviceKey = createTestDeviceKey(),
  name = "Test phone",
): Promise<{ deviceId: string; challengeId: string; otp: string; key: TestDeviceKey }> {
  await confirmedBindingRequest(sandbox, accessToken, name);
  const response = await callApi(sandbox, "POST", "/api/user/devices", accessToken, {
    name,
    key: key.keyHex,
  });
  expect(response.status).toBe(201);
  const { deviceId, challengeId } = (await response.json()) as { deviceId: string; challengeId: string };
  return { deviceId, challengeId, otp: await sandbox.test.latestOtp(), key };
}

/** Registers (after a confirmed binding request) and verifies a device; returns its id and key. */
export async function bindDevice(
  sandbox: RunningSandbox,
  accessToken: string,
  name = "Test phone",
): Promise<{ deviceId: string; key: TestDeviceKey }> {
  const { deviceId, challengeId, otp, key } = await createDevice(sandbox, accessToken, undefined, name);
  const response = await callApi(sandbox, "POST", `/api/user/devices/${deviceId}/verify`, accessToken, {
    challengeId,
    signature: key.sign(otp),
  });
  expect(response.status).toBe(204);
  return { deviceId, key };
}

/** Creates a device challenge for a bound device. */
export async function createChallenge(
  sandbox: RunningSandbox,
  accessToken: string,
  deviceId: string,
): Promise<{ id: string; stringToSign: string }> {
  const response = await callApi(sandbox, "POST", `/api/user/devices/${deviceId}/challenges`, accessToken);
  expect(response.status).toBe(201);
  return response.json();
}

/** Binds a device and passes a device challenge; returns the confirmed token response. */
export async function confirm(
  sandbox: RunningSandbox,
  accessToken: string,
): Promise<{ token: string; refresh_token?: string; deviceId: string; key: TestDeviceKey }> {
  const { deviceId, key } = await bindDevice(sandbox, accessToken);
  const challenge = await createChallenge(sandbox, accessToken, deviceId);
  const response = await callApi(
    sandbox,
    "POST",
    `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
    accessToken,
    { signature: key.sign(challenge.stringToSign) },
  );
  expect(response.status).toBe(200);
  return { ...((await response.json()) as { token: string; refresh_token?: string }), deviceId, key };
}

/** Matches a UUID. */
export const uuid = expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
