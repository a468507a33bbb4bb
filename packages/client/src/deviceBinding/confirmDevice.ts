import { createDeviceSignature, type P256Signer } from "@kontist-auth/crypto";
import {
  confirmedTokenResponseSchema,
  type DeviceChallenge,
  deviceChallengeSchema,
  paths,
  type VerifyDeviceChallengeRequest,
} from "@kontist-auth/protocol";
import { acceptConfirmedToken } from "../auth/acceptConfirmedToken";
import type { TokenManager } from "../auth/TokenManager";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { processApiResponse } from "../http/processApiResponse";
import type { Token } from "../token/Token";

/** Options of `client.auth.device.confirm`. */
export interface ConfirmDeviceOptions {
  /** The signer of the bound device. */
  signer: P256Signer;
  /** The bound device's id, from `client.auth.device.bind` or `client.auth.device.createDevice`. */
  deviceId: string;
}

/**
 * Starts device MFA: `POST /api/user/devices/{deviceId}/challenges`;
 * `client.auth.device.createDeviceChallenge` documents it.
 *
 * @throws {TypeError} when `deviceId` is empty, `.` or `..`; nothing is sent.
 * @throws {NoTokenError} / `UnauthorizedError` / `HttpError` / `ResponseValidationError` /
 *   `NetworkError` / `TimeoutError` when the request fails.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const { id, stringToSign } = await createDeviceChallenge(api, "device-id");
 */
export async function createDeviceChallenge(
  api: AuthenticatedTransport,
  deviceId: string,
): Promise<DeviceChallenge> {
  const response = await api.send({ method: "POST", path: paths.deviceChallenges(deviceId) });
  return processApiResponse(response, deviceChallengeSchema);
}

/**
 * Completes device MFA: `POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify`; the
 * confirmed token it is answered with becomes the current one. `client.auth.device.verifyDeviceChallenge`
 * documents it.
 *
 * @returns the confirmed token, now the current one.
 * @throws {TypeError} when `deviceId` or `challengeId` is empty, `.` or `..`; nothing is sent.
 * @throws {NoTokenError} / `UnauthorizedError` / `HttpError` / `ResponseValidationError` /
 *   `NetworkError` / `TimeoutError` when the request fails.
 * @example
 * import { createDeviceSignature } from "@kontist-auth/crypto";
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const { id, stringToSign } = await createDeviceChallenge(api, "device-id");
 * const signature = await createDeviceSignature(signer, stringToSign);
 * const token = await verifyDeviceChallenge(api, client.auth.tokenManager, "device-id", id, { signature });
 */
export async function verifyDeviceChallenge(
  api: AuthenticatedTransport,
  tokenManager: TokenManager,
  deviceId: string,
  challengeId: string,
  request: VerifyDeviceChallengeRequest,
): Promise<Token> {
  const response = await api.send({
    method: "POST",
    path: paths.verifyDeviceChallenge(deviceId, challengeId),
    json: { signature: request.signature },
    secrets: [request.signature],
  });
  const body = processApiResponse(response, confirmedTokenResponseSchema);
  return acceptConfirmedToken(tokenManager, body);
}

/**
 * Passes MFA with a bound device: creates a device challenge, signs its `stringToSign` and verifies it;
 * `client.auth.device.confirm` documents it.
 *
 * @returns the confirmed token, now the current one.
 * @throws {SignerError} (from `@kontist-auth/crypto`) when the signer fails.
 * @throws the errors of {@link createDeviceChallenge} and {@link verifyDeviceChallenge}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const token = await confirmDevice(api, client.auth.tokenManager, { signer, deviceId: "device-id" });
 */
export async function confirmDevice(
  api: AuthenticatedTransport,
  tokenManager: TokenManager,
  options: ConfirmDeviceOptions,
): Promise<Token> {
  const { signer, deviceId } = options;
  const challenge = await createDeviceChallenge(api, deviceId);
  const signature = await createDeviceSignature(signer, challenge.stringToSign);
  return verifyDeviceChallenge(api, tokenManager, deviceId, challenge.id, { signature });
}
