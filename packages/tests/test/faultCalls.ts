import { createDeviceSignature, createSoftwareSigner, toDeviceKeyHex } from "@kontist-auth/crypto";
import { paths } from "@kontist-auth/protocol";
import type { ProxiedRequest } from "./faultProxy";
import {
  approveAsPhone,
  boundDevice,
  type CallContext,
  confirmedRequest,
  createdDevice,
  loggedInThrough,
} from "./faultSetup";

export {
  type CallContext,
  type FaultUser,
  faultClientOptions,
  faultUsers,
  loggedInThrough,
} from "./faultSetup";

// Every client call the fault tests break, each with the state it needs and the request the fault hits.

/** The call under test; `signal` is passed to calls that take one. */
export type Call = (signal: AbortSignal | undefined) => Promise<unknown>;

export interface ClientCall {
  name: string;
  /** GET, or a GraphQL document of queries only: retried by the client (`clientDefaults.retry`). */
  idempotent: boolean;
  /** Whether the call takes an `AbortSignal`. */
  abortable: boolean;
  /** Whether success installs a new token (a grant, a confirmation). */
  renewsToken: boolean;
  /** The request of the call that the fault hits (by its log entry or the request). */
  target: (request: RequestLine) => boolean;
  /** Brings about what the call needs (with no fault armed) and returns the call. */
  prepare: (context: CallContext) => Promise<Call>;
}

/** What a proxy log entry and a request have in common. */
export type RequestLine = Pick<ProxiedRequest, "method" | "path" | "operation">;

const isRoute = (method: string, pattern: RegExp) => (request: RequestLine) =>
  request.method === method && pattern.test(request.path);
const isOperation = (operation: string) => (request: RequestLine) => request.operation === operation;

/** `getConfirmedToken`, with the user approving the challenge on their phone as soon as it exists. */
const confirmedByPush =
  ({ client, sandbox, user }: CallContext): Call =>
  async (signal) => {
    const confirmation = client.auth.push.getConfirmedToken({ pollInterval: 50, signal });
    await approveAsPhone(
      sandbox,
      user,
      confirmation.catch(() => {}),
    );
    return confirmation;
  };

const deviceRoute = /^\/api\/user\/devices$/;
const challengesRoute = /^\/api\/user\/mfa\/challenges$/;
const challengeRoute = /^\/api\/user\/mfa\/challenges\/[^/]+$/;

/** Every client call the issue names, idempotent or not. */
export const clientCalls: readonly ClientCall[] = [
  {
    name: "password grant",
    idempotent: false,
    abortable: false,
    renewsToken: true,
    target: isOperation("grant password"),
    prepare:
      async ({ client, user }) =>
      () =>
        client.auth.tokenManager.fetchTokenFromCredentials({ username: user.email, password: user.password }),
  },
  {
    name: "refresh",
    idempotent: false,
    abortable: false,
    renewsToken: true,
    target: isOperation("grant refresh_token"),
    prepare:
      async ({ client }) =>
      () =>
        client.auth.tokenManager.refresh(),
  },
  {
    name: "requestBinding",
    idempotent: false,
    abortable: false,
    renewsToken: false,
    target: isOperation("mutation createDeviceBindingRequest"),
    prepare:
      async ({ client }) =>
      () =>
        client.auth.device.requestBinding({ name: "fault test" }),
  },
  {
    name: "getBindingRequest",
    idempotent: true,
    abortable: false,
    renewsToken: false,
    target: isOperation("query getDeviceBindingRequest"),
    prepare: async (context) => {
      const { id } = await context.client.auth.device.requestBinding({ name: "fault test" });
      return () => context.client.auth.device.getBindingRequest(id);
    },
  },
  {
    name: "waitForBindingConfirmation",
    idempotent: true,
    abortable: true,
    renewsToken: false,
    target: isOperation("query getDeviceBindingRequest"),
    prepare: async (context) => {
      const { id } = await confirmedRequest(context);
      return (signal) =>
        context.client.auth.device.waitForBindingConfirmation(id, {
          pollInterval: 50,
          timeout: 10_000,
          signal,
        });
    },
  },
  {
    name: "createDevice",
    idempotent: false,
    abortable: false,
    renewsToken: false,
    target: isRoute("POST", deviceRoute),
    prepare: async (context) => {
      await confirmedRequest(context);
      const key = toDeviceKeyHex(await createSoftwareSigner().getPublicKey());
      return () => context.client.auth.device.createDevice({ name: "fault test", key });
    },
  },
  {
    name: "verifyDevice",
    idempotent: false,
    abortable: false,
    renewsToken: false,
    target: isRoute("POST", /^\/api\/user\/devices\/[^/]+\/verify$/),
    prepare: async (context) => {
      const { deviceId, challengeId, signature } = await createdDevice(context);
      return () => context.client.auth.device.verifyDevice(deviceId, { challengeId, signature });
    },
  },
  {
    name: "createDeviceChallenge",
    idempotent: false,
    abortable: false,
    renewsToken: false,
    target: isRoute("POST", /^\/api\/user\/devices\/[^/]+\/challenges$/),
    prepare: async (context) => {
      const { deviceId } = await boundDevice(context);
      return () => context.client.auth.device.createDeviceChallenge(deviceId);
    },
  },
  {
    name: "verifyDeviceChallenge",
    idempotent: false,
    abortable: false,
    renewsToken: true,
    target: isRoute("POST", /^\/api\/user\/devices\/[^/]+\/challenges\/[^/]+\/verify$/),
    prepare: async (context) => {
      const { deviceId, signer } = await boundDevice(context);
      const device = context.client.auth.device;
      const { id, stringToSign } = await device.createDeviceChallenge(deviceId);
      const signature = await createDeviceSignature(signer, stringToSign);
      return () => device.verifyDeviceChallenge(deviceId, id, { signature });
    },
  },
  {
    name: "device list",
    idempotent: true,
    abortable: false,
    renewsToken: false,
    target: isOperation("query listBoundDevices"),
    prepare:
      async ({ client }) =>
      () =>
        client.auth.device.list(),
  },
  {
    name: "push list",
    idempotent: true,
    abortable: false,
    renewsToken: false,
    target: isRoute("GET", challengesRoute),
    prepare: async ({ client }) => {
      await client.request({ method: "POST", path: paths.mfaChallenges });
      return () => client.auth.push.list();
    },
  },
  {
    name: "push answer",
    idempotent: false,
    abortable: false,
    renewsToken: false,
    target: isRoute("PATCH", challengeRoute),
    prepare: async (context) => {
      // This client, confirmed with its bound device, answers the challenge of another login of the user.
      await context.client.auth.device.confirm(await boundDevice(context));
      const otherLogin = await loggedInThrough(context.proxy, context.user);
      const { id } = (await otherLogin.request({ method: "POST", path: paths.mfaChallenges })) as {
        id: string;
      };
      return () => context.client.auth.push.answer(id, "VERIFIED");
    },
  },
  {
    name: "getConfirmedToken: create",
    idempotent: false,
    abortable: true,
    renewsToken: true,
    target: isRoute("POST", challengesRoute),
    prepare: async (context) => confirmedByPush(context),
  },
  {
    name: "getConfirmedToken: poll",
    idempotent: true,
    abortable: true,
    renewsToken: true,
    target: isRoute("GET", challengeRoute),
    prepare: async (context) => confirmedByPush(context),
  },
  {
    name: "getConfirmedToken: token",
    idempotent: false,
    abortable: true,
    renewsToken: true,
    target: isRoute("POST", /^\/api\/user\/mfa\/challenges\/[^/]+\/token$/),
    prepare: async (context) => confirmedByPush(context),
  },
  {
    name: "GraphQL query",
    idempotent: true,
    abortable: false,
    renewsToken: false,
    target: isOperation("query viewer"),
    prepare:
      async ({ client }) =>
      () =>
        client.graphQL.rawQuery("{ viewer { id email } }"),
  },
  {
    name: "GraphQL mutation",
    idempotent: false,
    abortable: false,
    renewsToken: false,
    target: isOperation("mutation createDeviceBindingRequest"),
    prepare:
      async ({ client }) =>
      () =>
        client.graphQL.rawQuery('mutation { createDeviceBindingRequest(deviceName: "fault test") { id } }'),
  },
  {
    name: "request GET",
    idempotent: true,
    abortable: true,
    renewsToken: false,
    target: isRoute("GET", challengesRoute),
    prepare:
      async ({ client }) =>
      (signal) =>
        client.request({ method: "GET", path: paths.mfaChallenges, signal }),
  },
  {
    name: "request POST",
    idempotent: false,
    abortable: true,
    renewsToken: false,
    target: isRoute("POST", challengesRoute),
    prepare:
      async ({ client }) =>
      (signal) =>
        client.request({ method: "POST", path: paths.mfaChallenges, signal }),
  },
];
