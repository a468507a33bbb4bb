import {
  type CreateDeviceRequest,
  type CreateDeviceResponse,
  createDeviceResponseSchema,
  paths,
  type VerifyDeviceRequest,
} from "@kontist-auth/protocol";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { processApiResponse } from "../http/processApiResponse";
import { processEmptyResponse } from "../http/processEmptyResponse";

/**
 * Registers a device: `POST /api/user/devices` with its name and public key (the key is redacted from
 * errors); `client.auth.device.createDevice` documents it.
 *
 * @returns the new device's id and the id of its verification challenge.
 * @throws {NoTokenError} / `UnauthorizedError` / `HttpError` / `ResponseValidationError` /
 *   `NetworkError` / `TimeoutError` when the request fails; the `reason` of `signal` when it aborts.
 * @example
 * import { toDeviceKeyHex } from "@kontist-auth/crypto";
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const key = toDeviceKeyHex(await signer.getPublicKey());
 * const { deviceId, challengeId } = await createDevice(api, { name: "My laptop", key }, undefined);
 */
export async function createDevice(
  api: AuthenticatedTransport,
  request: CreateDeviceRequest,
  signal: AbortSignal | undefined,
): Promise<CreateDeviceResponse> {
  const response = await api.send({
    method: "POST",
    path: paths.devices,
    json: { name: request.name, key: request.key },
    secrets: [request.key],
    signal,
  });
  return processApiResponse(response, createDeviceResponseSchema);
}

/**
 * Proves a device: `POST /api/user/devices/{deviceId}/verify` with the signature of the SMS one-time
 * password; `client.auth.device.verifyDevice` documents it.
 *
 * @param secrets - more values to redact from errors besides the signature (the OTP, the key).
 * @throws {TypeError} when `deviceId` is empty, `.` or `..`; nothing is sent.
 * @throws {NoTokenError} / `UnauthorizedError` / `HttpError` / `NetworkError` / `TimeoutError` when the
 *   request fails; the `reason` of `signal` when it aborts.
 * @example
 * import { createDeviceSignature } from "@kontist-auth/crypto";
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const otp = "123456"; // from the SMS
 * const signature = await createDeviceSignature(signer, otp);
 * await verifyDevice(api, "device-id", { challengeId: "challenge-id", signature }, [otp], undefined);
 */
export async function verifyDevice(
  api: AuthenticatedTransport,
  deviceId: string,
  request: VerifyDeviceRequest,
  secrets: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const response = await api.send({
    method: "POST",
    path: paths.verifyDevice(deviceId),
    json: { challengeId: request.challengeId, signature: request.signature },
    secrets: [request.signature, ...secrets],
    signal,
  });
  processEmptyResponse(response);
}
