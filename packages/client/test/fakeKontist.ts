import { randomInt, randomUUID } from "node:crypto";
import { parseDeviceKeyHex, verifyDeviceSignature } from "@kontist-auth/crypto";
import { type DeviceBindingRequest, deviceGraphQL, graphQLErrorExtensions } from "@kontist-auth/protocol";
import { fakeJwt } from "./fakeJwt";
import { type LoopbackServer, type RecordedRequest, sendJson, startLoopbackServer } from "./loopbackServer";

/** Options of {@link startFakeKontist}. */
export interface FakeKontistOptions {
  /** Send a `refresh_token` with the confirmed token; default true. */
  confirmedRefreshToken?: boolean;
  /**
   * Refuse `POST /api/user/devices` (403) unless a binding request was confirmed and has not been used
   * for a device yet, as Kontist's API does since December 2023; default true. `false` is the older API.
   */
  requireBindingRequest?: boolean;
  /**
   * Answer with `Connection: close`, so fetch keeps no idle connection, and no keep-alive timer of its
   * own: for tests that count timers with fake timers. Default false.
   */
  closeConnections?: boolean;
}

/** How the fake answers polls (`getDeviceBindingRequest`) when told to fail them. */
export type PollFailure = "500" | "hang" | "forbidden";

/**
 * A small stand-in for Kontist's device endpoints, with real signature verification: the REST calls of
 * device binding and device MFA, and the GraphQL device operations of protocol's `deviceGraphQL`
 * (binding requests, bound devices), with the user's answer to a binding request under the test's control.
 */
export interface FakeKontist extends LoopbackServer {
  /** OTPs "sent by SMS", in order. */
  sms: string[];
  /** The access token the fake accepts before confirmation. */
  accessToken: string;
  /** The confirmed access token it hands out (and accepts). */
  confirmedAccessToken: string;
  /** Binding requests by id, as `getDeviceBindingRequest` shows them. */
  bindingRequests: Map<string, DeviceBindingRequest>;
  /** The user's click in the confirmation e-mail. */
  confirmBindingRequest(id: string): void;
  /** The user's "this was not me" in the e-mail. */
  rejectBindingRequest(id: string): void;
  /** Bound (verified) devices, `{ id, name }` each. */
  boundDevices(): { id: string; name: string }[];
  /** Polls (`getDeviceBindingRequest`) received so far. */
  polls(): number;
  /** Called on every poll, before it is answered (e.g. to confirm after the second poll). */
  onPoll: ((id: string, poll: number) => void) | undefined;
  /** Answer the next polls this way: a 500, no answer at all, or a GraphQL error with status 403. */
  failPolls(failure: PollFailure | undefined): void;
  /** Answer every GraphQL request with this instead (e.g. a malformed `data`). */
  graphQLAnswer: { status: number; body: unknown } | undefined;
}

interface FakeDevice {
  name: string;
  key: string;
  otp: string;
  challengeId: string;
  verified: boolean;
}

type Answer = { status: number; body?: unknown } | "hang";

/** A GraphQL answer with one error standing for HTTP `status`, as Kontist writes them. */
function graphQLError(message: string, status: number): Answer {
  return {
    status: 200,
    body: { data: null, errors: [{ message, extensions: graphQLErrorExtensions(status) }] },
  };
}

/**
 * Starts the fake: `POST /api/user/devices`, `…/verify`, `…/challenges`, `…/challenges/{id}/verify`, and
 * `POST /api/graphql` for the five device operations (their documents must be protocol's, word for word).
 * Answers `{ message, status }` errors like the API does, GraphQL errors with `extensions { status, type }`.
 */
export async function startFakeKontist(options: FakeKontistOptions = {}): Promise<FakeKontist> {
  const { requireBindingRequest = true, closeConnections = false } = options;
  const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });
  const confirmedAccessToken = fakeJwt({
    sub: "user-1",
    scope: "users offline",
    exp: 1_900_000_500,
    cnf: { kid: "device" },
  });
  const sms: string[] = [];
  const devices = new Map<string, FakeDevice>();
  const challenges = new Map<string, string>();
  const bindingRequests = new Map<string, DeviceBindingRequest>();
  /** Confirmed binding requests already used for a device: one confirmation allows one device. */
  const usedBindingRequests = new Set<string>();
  let polls = 0;
  let pollFailure: PollFailure | undefined;

  const answer = (id: string, field: "confirmedAt" | "rejectedAt") => {
    const request = bindingRequests.get(id);
    if (request === undefined) throw new Error(`no binding request ${id}`);
    request[field] = new Date().toISOString();
  };

  function graphQL(request: RecordedRequest, confirmed: boolean): Answer {
    if (fake.graphQLAnswer !== undefined) return fake.graphQLAnswer;
    const { query, variables = {} } = JSON.parse(request.body) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const operation = Object.entries(deviceGraphQL).find(([, document]) => document === query)?.[0];
    switch (operation) {
      case "createDeviceBindingRequest": {
        const { deviceName, deviceId } = variables;
        if (typeof deviceName !== "string" || deviceName === "")
          return graphQLError("deviceName is required", 400);
        if (deviceId !== undefined && typeof deviceId !== "string")
          return graphQLError("deviceId is a string", 400);
        const created: DeviceBindingRequest = {
          id: randomUUID(),
          ipAddress: "127.0.0.1",
          deviceName,
          address: "Berlin, Germany",
          confirmedAt: null,
          rejectedAt: null,
          createdAt: new Date().toISOString(),
        };
        bindingRequests.set(created.id, created);
        return { status: 200, body: { data: { createDeviceBindingRequest: created } } };
      }
      case "getDeviceBindingRequest": {
        const id = String(variables.id);
        polls += 1;
        fake.onPoll?.(id, polls);
        if (pollFailure === "hang") return "hang";
        if (pollFailure === "500") return { status: 500, body: { message: "Internal error", status: 500 } };
        if (pollFailure === "forbidden") return graphQLError("Not allowed", 403);
        return { status: 200, body: { data: { getDeviceBindingRequest: bindingRequests.get(id) ?? null } } };
      }
      case "updateDeviceBindingRequest": {
        if (!confirmed) return graphQLError("A confirmed token is required", 403);
        const pending = bindingRequests.get(String(variables.id));
        const open = pending !== undefined && !pending.confirmedAt && !pending.rejectedAt;
        if (open) answer(pending.id, variables.isConfirmation === true ? "confirmedAt" : "rejectedAt");
        return { status: 200, body: { data: { updateDeviceBindingRequest: open } } };
      }
      case "listBoundDevices":
        return { status: 200, body: { data: { listBoundDevices: fake.boundDevices() } } };
      case "deleteBoundDevice": {
        const deviceId = String(variables.deviceId);
        const existed = devices.get(deviceId)?.verified === true;
        devices.delete(deviceId);
        return { status: 200, body: { data: { deleteBoundDevice: existed } } };
      }
      default:
        return {
          status: 400,
          body: { errors: [{ message: "Unknown operation", extensions: graphQLErrorExtensions(400) }] },
        };
    }
  }

  function createDevice(body: Record<string, string>): Answer {
    try {
      parseDeviceKeyHex(body.key ?? "");
    } catch {
      return { status: 400, body: { message: "Invalid key", status: 400 } };
    }
    if (requireBindingRequest) {
      const allowing = [...bindingRequests.values()].find(
        (request) => request.confirmedAt && !usedBindingRequests.has(request.id),
      );
      if (allowing === undefined) {
        return { status: 403, body: { message: "No confirmed device binding request", status: 403 } };
      }
      usedBindingRequests.add(allowing.id);
    }
    const id = randomUUID();
    const otp = String(randomInt(100_000, 1_000_000));
    devices.set(id, {
      name: body.name ?? "",
      key: body.key ?? "",
      otp,
      challengeId: randomUUID(),
      verified: false,
    });
    sms.push(otp);
    return { status: 201, body: { deviceId: id, challengeId: devices.get(id)?.challengeId } };
  }

  function route(request: RecordedRequest): Answer {
    const authorization = request.headers.authorization;
    const confirmed = authorization === `Bearer ${confirmedAccessToken}`;
    if (authorization !== `Bearer ${accessToken}` && !confirmed) {
      return { status: 401, body: { message: "Unauthorized", status: 401 } };
    }
    if (request.method === "POST" && request.url === "/api/graphql") return graphQL(request, confirmed);
    const body = request.body === "" ? {} : (JSON.parse(request.body) as Record<string, string>);
    const parts = request.url.split("/").slice(1); // api, user, devices, …
    if (request.method !== "POST" || parts[0] !== "api" || parts[1] !== "user" || parts[2] !== "devices") {
      return { status: 404, body: { message: "Not found", status: 404 } };
    }
    const [, , , deviceId, action, challengeId, verify] = parts;
    if (deviceId === undefined) return createDevice(body);
    const device = devices.get(deviceId);
    if (device === undefined) return { status: 404, body: { message: "Device not found", status: 404 } };
    if (action === "verify") {
      const ok =
        body.challengeId === device.challengeId &&
        verifyDeviceSignature(device.key, device.otp, body.signature ?? "");
      if (!ok) return { status: 400, body: { message: "Invalid signature", status: 400 } };
      device.verified = true;
      return { status: 204 };
    }
    if (action === "challenges" && challengeId === undefined) {
      if (!device.verified) return { status: 400, body: { message: "Device not verified", status: 400 } };
      const id = randomUUID();
      const stringToSign = randomUUID();
      challenges.set(id, stringToSign);
      return { status: 201, body: { id, stringToSign } };
    }
    if (action === "challenges" && challengeId !== undefined && verify === "verify") {
      const stringToSign = challenges.get(challengeId);
      if (
        stringToSign === undefined ||
        !verifyDeviceSignature(device.key, stringToSign, body.signature ?? "")
      ) {
        return { status: 400, body: { message: "Invalid signature", status: 400 } };
      }
      challenges.delete(challengeId);
      return {
        status: 200,
        body: {
          token: confirmedAccessToken,
          ...(options.confirmedRefreshToken === false ? {} : { refresh_token: "rt-confirmed" }),
        },
      };
    }
    return { status: 404, body: { message: "Not found", status: 404 } };
  }

  const server = await startLoopbackServer((request, response) => {
    if (closeConnections) response.setHeader("connection", "close");
    const answered = route(request);
    if (answered === "hang") return;
    if (answered.body === undefined) response.writeHead(answered.status).end();
    else sendJson(response, answered.status, answered.body);
  });
  const fake: FakeKontist = Object.assign(server, {
    sms,
    accessToken,
    confirmedAccessToken,
    bindingRequests,
    confirmBindingRequest: (id: string) => answer(id, "confirmedAt"),
    rejectBindingRequest: (id: string) => answer(id, "rejectedAt"),
    boundDevices: () =>
      [...devices].filter(([, device]) => device.verified).map(([id, device]) => ({ id, name: device.name })),
    polls: () => polls,
    onPoll: undefined as FakeKontist["onPoll"],
    failPolls: (failure: PollFailure | undefined) => {
      pollFailure = failure;
    },
    graphQLAnswer: undefined as FakeKontist["graphQLAnswer"],
  });
  return fake;
}
