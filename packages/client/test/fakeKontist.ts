import { randomInt, randomUUID } from "node:crypto";
import { parseDeviceKeyHex, verifyDeviceSignature } from "@kontist-auth/crypto";
import { fakeJwt } from "./fakeJwt";
import { type LoopbackServer, type RecordedRequest, sendJson, startLoopbackServer } from "./loopbackServer";

/** Options of {@link startFakeKontist}. */
export interface FakeKontistOptions {
  /** Send a `refresh_token` with the confirmed token; default true. */
  confirmedRefreshToken?: boolean;
}

/** A small stand-in for Kontist's device endpoints, with real signature verification. */
export interface FakeKontist extends LoopbackServer {
  /** OTPs "sent by SMS", in order. */
  sms: string[];
  /** The access token the fake accepts before confirmation. */
  accessToken: string;
  /** The confirmed access token it hands out. */
  confirmedAccessToken: string;
}

/**
 * Starts the fake: `POST /api/user/devices`, `…/verify`, `…/challenges`, `…/challenges/{id}/verify`.
 * Answers `{ message, status }` errors like the API does.
 */
export async function startFakeKontist(options: FakeKontistOptions = {}): Promise<FakeKontist> {
  const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });
  const confirmedAccessToken = fakeJwt({
    sub: "user-1",
    scope: "users offline",
    exp: 1_900_000_500,
    cnf: { kid: "device" },
  });
  const sms: string[] = [];
  const devices = new Map<string, { key: string; otp: string; challengeId: string; verified: boolean }>();
  const challenges = new Map<string, string>();

  function route(request: RecordedRequest): { status: number; body?: unknown } {
    if (request.headers.authorization !== `Bearer ${accessToken}`) {
      return { status: 401, body: { message: "Unauthorized", status: 401 } };
    }
    const body = request.body === "" ? {} : (JSON.parse(request.body) as Record<string, string>);
    const parts = request.url.split("/").slice(1); // api, user, devices, …
    if (request.method !== "POST" || parts[0] !== "api" || parts[1] !== "user" || parts[2] !== "devices") {
      return { status: 404, body: { message: "Not found", status: 404 } };
    }
    const [, , , deviceId, action, challengeId, verify] = parts;
    if (deviceId === undefined) {
      try {
        parseDeviceKeyHex(body.key ?? "");
      } catch {
        return { status: 400, body: { message: "Invalid key", status: 400 } };
      }
      const id = randomUUID();
      const otp = String(randomInt(100_000, 1_000_000));
      const device = { key: body.key ?? "", otp, challengeId: randomUUID(), verified: false };
      devices.set(id, device);
      sms.push(otp);
      return { status: 201, body: { deviceId: id, challengeId: device.challengeId } };
    }
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
    const { status, body } = route(request);
    if (body === undefined) response.writeHead(status).end();
    else sendJson(response, status, body);
  });
  return Object.assign(server, { sms, accessToken, confirmedAccessToken });
}
