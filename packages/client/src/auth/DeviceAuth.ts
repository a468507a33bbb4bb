import { createDeviceSignature, type P256Signer, SignerError, toDeviceKeyHex } from "@kontist-auth/crypto";
import {
  type CreateDeviceRequest,
  type CreateDeviceResponse,
  confirmedTokenResponseSchema,
  createDeviceResponseSchema,
  type Device,
  type DeviceChallenge,
  deviceChallengeSchema,
  devicesResponseSchema,
  paths,
  type VerifyDeviceChallengeRequest,
  type VerifyDeviceRequest,
} from "@kontist-auth/protocol";
import { processApiResponse } from "../http/processApiResponse";
import { processEmptyResponse } from "../http/processEmptyResponse";
import type { TransportRequest } from "../http/Transport";
import type { Token } from "../token/Token";
import type { AuthenticatedTransport } from "./AuthenticatedTransport";
import { acceptConfirmedToken } from "./acceptConfirmedToken";
import type { TokenManager } from "./TokenManager";

/** Options of {@link DeviceAuth.bind}. */
export interface BindDeviceOptions {
  /** The device's key; its public key is registered, its private key signs the OTP. */
  signer: P256Signer;
  /** A name for the device, shown to the user in their device list (1–255 characters). */
  name: string;
  /**
   * Asks for the one-time password the API sent by SMS once the device was registered, e.g. by
   * prompting the user. Called once, after `createDevice`.
   */
  otp: () => Promise<string>;
}

/** Options of {@link DeviceAuth.confirm}. */
export interface ConfirmDeviceOptions {
  /** The signer of the bound device. */
  signer: P256Signer;
  /** The bound device's id, from {@link DeviceAuth.bind} or {@link DeviceAuth.createDevice}. */
  deviceId: string;
}

/** What a {@link DeviceAuth} needs from its client. */
export interface DeviceAuthConfig {
  /** Sends `/api/user/*` requests with the current token, renewed as needed. */
  api: AuthenticatedTransport;
  tokenManager: TokenManager;
}

/**
 * Device binding and device MFA (`client.auth.device`): register a P-256 key as a device of the user,
 * prove it with the SMS one-time password, then pass MFA by signing device challenges, which turns the
 * client's token into a confirmed one. Every call sends the current access token as
 * `Authorization: Bearer`, renewed first when it is about to expire and once more after a 401; keys and
 * signatures are encoded by `@kontist-auth/crypto`.
 *
 * @example
 * const signer = createSoftwareSigner();
 * const { deviceId } = await client.auth.device.bind({ signer, name: "My laptop", otp: askUserForOtp });
 * const token = await client.auth.device.confirm({ signer, deviceId });
 * token.confirmed; // true
 */
export class DeviceAuth {
  readonly #config: DeviceAuthConfig;

  /** Made by {@link Client}; use `client.auth.device`. */
  constructor(config: DeviceAuthConfig) {
    this.#config = config;
  }

  /**
   * Registers a device: `POST /api/user/devices` with its name and public key (hex of the uncompressed
   * point, see `toDeviceKeyHex`). The API sends an SMS with a one-time password to the user's phone;
   * sign it with the device key and pass it to {@link DeviceAuth.verifyDevice}.
   *
   * @returns the new device's id and the id of its verification challenge.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 400 for a malformed key).
   * @throws {ResponseValidationError} when the answer lacks `deviceId` or `challengeId`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * const key = toDeviceKeyHex(await signer.getPublicKey());
   * const { deviceId, challengeId } = await client.auth.device.createDevice({ name: "My laptop", key });
   */
  async createDevice(request: CreateDeviceRequest): Promise<CreateDeviceResponse> {
    const response = await this.#send({
      method: "POST",
      path: paths.devices,
      json: { name: request.name, key: request.key },
      secrets: [request.key],
    });
    return processApiResponse(response, createDeviceResponseSchema);
  }

  /**
   * Proves a device: `POST /api/user/devices/{deviceId}/verify` with the signature of the SMS one-time
   * password (see `createDeviceSignature`). Answered with 204; the device is bound from then on.
   *
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 400 for a wrong signature or OTP).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * const signature = await createDeviceSignature(signer, otpFromSms);
   * await client.auth.device.verifyDevice(deviceId, { challengeId, signature });
   */
  async verifyDevice(deviceId: string, request: VerifyDeviceRequest): Promise<void> {
    await this.#verifyDevice(deviceId, request, []);
  }

  /**
   * Starts device MFA: `POST /api/user/devices/{deviceId}/challenges`. Sign `stringToSign` with the
   * device key and pass the signature to {@link DeviceAuth.verifyDeviceChallenge}.
   *
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 404 for an unknown device).
   * @throws {ResponseValidationError} when the answer lacks `id` or `stringToSign`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * const { id, stringToSign } = await client.auth.device.createDeviceChallenge(deviceId);
   */
  async createDeviceChallenge(deviceId: string): Promise<DeviceChallenge> {
    const response = await this.#send({ method: "POST", path: paths.deviceChallenges(deviceId) });
    return processApiResponse(response, deviceChallengeSchema);
  }

  /**
   * Completes device MFA: `POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify` with the
   * signature of `stringToSign`. The answer is a confirmed access token (with a `cnf` claim), which
   * becomes the client's current token; its `refresh_token`, when the API sends one, is a confirmed
   * refresh token and replaces the stored one (renewals stay confirmed); when it sends none, the current
   * refresh token is kept.
   *
   * @returns the confirmed token, now the current one.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 400 for a wrong signature).
   * @throws {ResponseValidationError} when the answer lacks `token`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * const signature = await createDeviceSignature(signer, stringToSign);
   * const token = await client.auth.device.verifyDeviceChallenge(deviceId, id, { signature });
   */
  async verifyDeviceChallenge(
    deviceId: string,
    challengeId: string,
    request: VerifyDeviceChallengeRequest,
  ): Promise<Token> {
    const response = await this.#send({
      method: "POST",
      path: paths.verifyDeviceChallenge(deviceId, challengeId),
      json: { signature: request.signature },
      secrets: [request.signature],
    });
    const body = processApiResponse(response, confirmedTokenResponseSchema);
    return acceptConfirmedToken(this.#config.tokenManager, body);
  }

  /**
   * Lists the user's bound devices: `GET /api/user/devices`.
   *
   * @returns the devices, `{ id, name, createdAt }` each (`createdAt` an ISO 8601 string).
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} for an error answer.
   * @throws {ResponseValidationError} when the answer is not a list of devices (names the field).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * for (const device of await client.auth.device.list()) console.log(device.name, device.createdAt);
   */
  async list(): Promise<Device[]> {
    const response = await this.#send({ method: "GET", path: paths.devices });
    return processApiResponse(response, devicesResponseSchema);
  }

  /**
   * Removes a bound device: `DELETE /api/user/devices/{deviceId}`, answered with 204. Its key can no
   * longer pass MFA; delete the key from its signer too.
   *
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 404 for an unknown device).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * await client.auth.device.remove(deviceId);
   */
  async remove(deviceId: string): Promise<void> {
    const response = await this.#send({ method: "DELETE", path: paths.device(deviceId) });
    processEmptyResponse(response);
  }

  /**
   * Binds a device in one call: reads the signer's public key, registers it ({@link DeviceAuth.createDevice}),
   * awaits `otp()` for the SMS one-time password, signs it and verifies the device
   * ({@link DeviceAuth.verifyDevice}). Keep the signer's key and the `deviceId` to confirm later.
   *
   * @returns the bound device's id.
   * @throws {SignerError} (from `@kontist-auth/crypto`) when the signer fails to give its public key or
   *   to sign; {@link InvalidPublicKeyError} when its public key is not a P-256 point.
   * @throws {TypeError} when `otp()` does not resolve to a non-empty string; whatever `otp()` rejects with.
   * @throws the errors of {@link DeviceAuth.createDevice} and {@link DeviceAuth.verifyDevice}.
   *
   * @example
   * const signer = createSoftwareSigner();
   * const { deviceId } = await client.auth.device.bind({
   *   signer,
   *   name: "My laptop",
   *   otp: () => prompt("The code we sent you by SMS"),
   * });
   */
  async bind(options: BindDeviceOptions): Promise<{ deviceId: string }> {
    const { signer, name, otp } = options;
    let publicKey: Uint8Array;
    try {
      publicKey = await signer.getPublicKey();
    } catch (cause) {
      throw new SignerError("The signer failed to give its public key.", { cause });
    }
    const key = toDeviceKeyHex(publicKey);
    const { deviceId, challengeId } = await this.createDevice({ name, key });
    const password = await otp();
    if (typeof password !== "string" || password === "") {
      throw new TypeError("bind: otp() must resolve to the one-time password, a non-empty string.");
    }
    const signature = await createDeviceSignature(signer, password);
    await this.#verifyDevice(deviceId, { challengeId, signature }, [password, key]);
    return { deviceId };
  }

  /**
   * Passes MFA with a bound device in one call: creates a device challenge, signs its `stringToSign`
   * and verifies it ({@link DeviceAuth.verifyDeviceChallenge}). The client then holds a confirmed access
   * token (and a confirmed refresh token, for clients that get refresh tokens).
   *
   * @returns the confirmed token, now the current one.
   * @throws {SignerError} (from `@kontist-auth/crypto`) when the signer fails.
   * @throws the errors of {@link DeviceAuth.createDeviceChallenge} and {@link DeviceAuth.verifyDeviceChallenge}.
   *
   * @example
   * const token = await client.auth.device.confirm({ signer, deviceId });
   * token.confirmed; // true
   */
  async confirm(options: ConfirmDeviceOptions): Promise<Token> {
    const { signer, deviceId } = options;
    const challenge = await this.createDeviceChallenge(deviceId);
    const signature = await createDeviceSignature(signer, challenge.stringToSign);
    return this.verifyDeviceChallenge(deviceId, challenge.id, { signature });
  }

  async #verifyDevice(
    deviceId: string,
    request: VerifyDeviceRequest,
    secrets: readonly string[],
  ): Promise<void> {
    const response = await this.#send({
      method: "POST",
      path: paths.verifyDevice(deviceId),
      json: { challengeId: request.challengeId, signature: request.signature },
      secrets: [request.signature, ...secrets],
    });
    processEmptyResponse(response);
  }

  /** Sends an `/api/user/*` request with the current access token. */
  #send(request: TransportRequest) {
    return this.#config.api.send(request);
  }
}
