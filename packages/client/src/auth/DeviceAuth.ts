import type { InvalidPublicKeyError } from "@kontist-auth/crypto";
import type {
  BoundDevice,
  CreateDeviceRequest,
  CreateDeviceResponse,
  DeviceBindingRequest,
  DeviceChallenge,
  VerifyDeviceChallengeRequest,
  VerifyDeviceRequest,
} from "@kontist-auth/protocol";
import { type BindDeviceOptions, type BindDeviceResult, bindDevice } from "../deviceBinding/bindDevice";
import {
  answerBindingRequest,
  getBindingRequest,
  type RequestBindingOptions,
  requestBinding,
} from "../deviceBinding/bindingRequests";
import { listBoundDevices, removeBoundDevice } from "../deviceBinding/boundDevices";
import {
  type ConfirmDeviceOptions,
  confirmDevice,
  createDeviceChallenge,
  verifyDeviceChallenge,
} from "../deviceBinding/confirmDevice";
import { createDevice, verifyDevice } from "../deviceBinding/deviceRegistration";
import {
  type WaitForBindingConfirmationOptions,
  waitForBindingConfirmation,
} from "../deviceBinding/waitForBindingConfirmation";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import type { Token } from "../token/Token";
import type { TokenManager } from "./TokenManager";

// The facade's option types live with the modules that use them; re-exported for the entry.
export type { BindDeviceOptions, BindDeviceResult } from "../deviceBinding/bindDevice";
export type { RequestBindingOptions } from "../deviceBinding/bindingRequests";
export type { ConfirmDeviceOptions } from "../deviceBinding/confirmDevice";
export type { WaitForBindingConfirmationOptions } from "../deviceBinding/waitForBindingConfirmation";

/** What a {@link DeviceAuth} needs from its client. */
export interface DeviceAuthConfig {
  /** Sends `/api/user/*` and GraphQL requests with the current token, renewed as needed. */
  api: AuthenticatedTransport;
  tokenManager: TokenManager;
}

/**
 * Device binding and device MFA (`client.auth.device`). Binding, as Kontist's API wants it since December
 * 2023: ask for a device binding request (GraphQL `createDeviceBindingRequest`), which the user confirms
 * in an e-mail or on a device already bound; then, within 3 minutes, register a P-256 key as a device of
 * the user (`POST /api/user/devices`) and prove it with the signed SMS one-time password. Afterwards the
 * device passes MFA by signing device challenges, which turns the client's token into a confirmed one.
 * Bound devices are listed and removed over GraphQL (`listBoundDevices`, `deleteBoundDevice`).
 *
 * Every call sends the current access token as `Authorization: Bearer`, renewed first when it is about to
 * expire and once more after a 401 (for GraphQL also an error with `extensions.status` 401); keys and
 * signatures are encoded by `@kontist-auth/crypto`; GraphQL answers are checked against protocol's schemas.
 *
 * @example
 * import { createSoftwareSigner } from "@kontist-auth/crypto";
 *
 * const signer = createSoftwareSigner();
 * const { deviceId } = await client.auth.device.bind({
 *   signer,
 *   name: "My laptop",
 *   onBindingRequest: () => console.log("Confirm the new device in the e-mail we just sent you."),
 *   otp: async () => prompt("The code we sent you by SMS") ?? "",
 * });
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
   * Asks for a device binding request: GraphQL `createDeviceBindingRequest(deviceName, deviceId)`.
   * Kontist then e-mails the user a link to confirm it (or shows it on a device already bound, see
   * {@link DeviceAuth.answerBindingRequest}); {@link DeviceAuth.waitForBindingConfirmation} waits for that.
   * Once confirmed, there are 3 minutes to create and verify the device.
   *
   * @returns the new request: `id`, `deviceName`, `ipAddress`, `address`, no `confirmedAt` yet.
   * @throws {TypeError} when `name` is not a non-empty string, or `deviceId` is given and is not one.
   * @throws {NoTokenError} when the client has no access token; nothing is sent.
   * @throws {GraphQLError} when the API answers with errors (`status` from their `extensions`).
   * @throws {ResponseValidationError} when the answer lacks a field of the request (names it).
   * @throws {UnauthorizedError} / {@link HttpError} / {@link NetworkError} / {@link TimeoutError} when
   *   the request fails.
   *
   * @example
   * const request = await client.auth.device.requestBinding({ name: "My laptop" });
   * console.log(`We sent you an e-mail: confirm "${request.deviceName}" there.`);
   */
  async requestBinding(options: RequestBindingOptions): Promise<DeviceBindingRequest> {
    return requestBinding(this.#config.api, options);
  }

  /**
   * Reads a device binding request: GraphQL `getDeviceBindingRequest(id)`. `confirmedAt` is set once the
   * user confirmed it, `rejectedAt` once they rejected it.
   *
   * @throws {DeviceBindingRequestNotFoundError} (`DEVICE_BINDING_REQUEST_NOT_FOUND`) when the API
   *   answers `null` (an unknown id).
   * @throws {TypeError} when `id` is not a non-empty string.
   * @throws {NoTokenError} when the client has no access token; nothing is sent.
   * @throws {GraphQLError} when the API answers with errors.
   * @throws {ResponseValidationError} when the answer is not a binding request (names the field).
   * @throws {UnauthorizedError} / {@link HttpError} / {@link NetworkError} / {@link TimeoutError} when
   *   the request fails.
   *
   * @example
   * const request = await client.auth.device.getBindingRequest("request-id");
   * if (request.confirmedAt) console.log("Confirmed: create and verify the device within 3 minutes.");
   */
  async getBindingRequest(id: string): Promise<DeviceBindingRequest> {
    return getBindingRequest(this.#config.api, id);
  }

  /**
   * Waits until the user answers a device binding request: polls `getDeviceBindingRequest(id)` at once,
   * then every `pollInterval` ms, until `confirmedAt` or `rejectedAt` is set. It always settles, and
   * leaves no timer and no listener on `signal` behind: a poll that fails (after its retries) rejects it
   * with that poll's error, and a cancel or the timeout aborts a poll in flight.
   *
   * @returns the confirmed request (with `confirmedAt`): create and verify the device within 3 minutes.
   * @throws {DeviceBindingRejectedError} (`DEVICE_BINDING_REJECTED`) when the user rejected it.
   * @throws {TimeoutError} (`TIMEOUT`) when no answer came within `timeout` ms.
   * @throws {DeviceBindingCancelledError} (`DEVICE_BINDING_CANCELLED`) when `signal` aborts; its `cause`
   *   is the signal's reason.
   * @throws {DeviceBindingRequestNotFoundError} when the API does not know the id.
   * @throws {TypeError} when `id` is not a non-empty string, `pollInterval` or `timeout` is not a
   *   positive number of milliseconds (at most 2^31 − 1), or `signal` is not an `AbortSignal`.
   * @throws the errors of {@link DeviceAuth.getBindingRequest} when a poll fails ({@link NoTokenError},
   *   {@link GraphQLError}, {@link UnauthorizedError}, {@link HttpError}, {@link NetworkError}, …).
   *
   * @example
   * const controller = new AbortController();
   * document.getElementById("cancel")?.addEventListener("click", () => controller.abort());
   * const request = await client.auth.device.requestBinding({ name: "My laptop" });
   * await client.auth.device.waitForBindingConfirmation(request.id, { signal: controller.signal });
   */
  async waitForBindingConfirmation(
    id: string,
    options: WaitForBindingConfirmationOptions = {},
  ): Promise<DeviceBindingRequest> {
    return waitForBindingConfirmation(this.#config.api, id, options);
  }

  /**
   * Answers a device binding request from this app, on a device that is already bound:
   * GraphQL `updateDeviceBindingRequest(id, isConfirmation)`. Kontist accepts it only with a confirmed
   * token (pass device MFA with {@link DeviceAuth.confirm} first).
   *
   * @param approve - `true` to confirm the request (the other device may then be bound), `false` to reject it.
   * @throws {MutationRefusedError} (`MUTATION_REFUSED`) when the API answers `false`.
   * @throws {GraphQLError} when the API answers with errors, e.g. `status` 403 without a confirmed token.
   * @throws {TypeError} when `id` is not a non-empty string or `approve` is not a boolean.
   * @throws {NoTokenError} when the client has no access token; nothing is sent.
   * @throws {ResponseValidationError} / {@link UnauthorizedError} / {@link HttpError} /
   *   {@link NetworkError} / {@link TimeoutError} when the request fails.
   *
   * @example
   * const request = await client.auth.device.getBindingRequest("request-id");
   * await client.auth.device.answerBindingRequest(request.id, confirm(`Bind ${request.deviceName}?`));
   */
  async answerBindingRequest(id: string, approve: boolean): Promise<void> {
    return answerBindingRequest(this.#config.api, id, approve);
  }

  /**
   * Registers a device: `POST /api/user/devices` with its name and public key (hex of the uncompressed
   * point, see `toDeviceKeyHex`). The API sends an SMS with a one-time password to the user's phone;
   * sign it with the device key and pass it to {@link DeviceAuth.verifyDevice}. Kontist's API today
   * accepts it only within 3 minutes of a confirmed device binding request ({@link DeviceAuth.requestBinding}).
   *
   * @returns the new device's id and the id of its verification challenge.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 400 for a malformed key, 403 without a
   *   confirmed binding request).
   * @throws {ResponseValidationError} when the answer lacks `deviceId` or `challengeId`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * import { toDeviceKeyHex } from "@kontist-auth/crypto";
   *
   * const key = toDeviceKeyHex(await signer.getPublicKey());
   * const { deviceId, challengeId } = await client.auth.device.createDevice({ name: "My laptop", key });
   */
  async createDevice(request: CreateDeviceRequest): Promise<CreateDeviceResponse> {
    return createDevice(this.#config.api, request, undefined);
  }

  /**
   * Proves a device: `POST /api/user/devices/{deviceId}/verify` with the signature of the SMS one-time
   * password (see `createDeviceSignature`). Answered with 204; the device is bound from then on.
   *
   * @throws {TypeError} when `deviceId` is empty, `.` or `..` (a dot segment would change the path);
   *   nothing is sent.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 400 for a wrong signature or OTP).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * import { createDeviceSignature } from "@kontist-auth/crypto";
   *
   * const signature = await createDeviceSignature(signer, "123456"); // the OTP from the SMS
   * await client.auth.device.verifyDevice("device-id", { challengeId: "challenge-id", signature });
   */
  async verifyDevice(deviceId: string, request: VerifyDeviceRequest): Promise<void> {
    return verifyDevice(this.#config.api, deviceId, request, [], undefined);
  }

  /**
   * Starts device MFA: `POST /api/user/devices/{deviceId}/challenges`. Sign `stringToSign` with the
   * device key and pass the signature to {@link DeviceAuth.verifyDeviceChallenge}.
   *
   * @throws {TypeError} when `deviceId` is empty, `.` or `..`; nothing is sent.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 404 for an unknown device).
   * @throws {ResponseValidationError} when the answer lacks `id` or `stringToSign`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * const { id, stringToSign } = await client.auth.device.createDeviceChallenge("device-id");
   */
  async createDeviceChallenge(deviceId: string): Promise<DeviceChallenge> {
    return createDeviceChallenge(this.#config.api, deviceId);
  }

  /**
   * Completes device MFA: `POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify` with the
   * signature of `stringToSign`. The answer is a confirmed access token (with a `cnf` claim), which
   * becomes the client's current token; its `refresh_token`, when the API sends one, is a confirmed
   * refresh token and replaces the stored one (renewals stay confirmed); when it sends none, the current
   * refresh token is kept.
   *
   * @returns the confirmed token, now the current one.
   * @throws {TypeError} when `deviceId` or `challengeId` is empty, `.` or `..`; nothing is sent.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 400 for a wrong signature).
   * @throws {ResponseValidationError} when the answer lacks `token`.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * import { createDeviceSignature } from "@kontist-auth/crypto";
   *
   * const { id, stringToSign } = await client.auth.device.createDeviceChallenge("device-id");
   * const signature = await createDeviceSignature(signer, stringToSign);
   * const token = await client.auth.device.verifyDeviceChallenge("device-id", id, { signature });
   */
  async verifyDeviceChallenge(
    deviceId: string,
    challengeId: string,
    request: VerifyDeviceChallengeRequest,
  ): Promise<Token> {
    return verifyDeviceChallenge(this.#config.api, this.#config.tokenManager, deviceId, challengeId, request);
  }

  /**
   * Lists the user's bound devices: GraphQL `listBoundDevices`.
   *
   * @returns the devices, `{ id, name }` each.
   * @throws {NoTokenError} when the client has no access token; nothing is sent.
   * @throws {GraphQLError} when the API answers with errors.
   * @throws {ResponseValidationError} when the answer is not a list of devices (names the field).
   * @throws {UnauthorizedError} / {@link HttpError} / {@link NetworkError} / {@link TimeoutError} when
   *   the request fails.
   *
   * @example
   * for (const device of await client.auth.device.list()) console.log(device.id, device.name);
   */
  async list(): Promise<BoundDevice[]> {
    return listBoundDevices(this.#config.api);
  }

  /**
   * Removes a bound device: GraphQL `deleteBoundDevice(deviceId)`. Its key can no longer pass MFA, and
   * refresh tokens confirmed with it no longer give confirmed tokens; delete the key from its signer too.
   *
   * @throws {MutationRefusedError} (`MUTATION_REFUSED`) when the API answers `false` (e.g. no such device).
   * @throws {TypeError} when `deviceId` is not a non-empty string.
   * @throws {NoTokenError} when the client has no access token; nothing is sent.
   * @throws {GraphQLError} when the API answers with errors.
   * @throws {ResponseValidationError} / {@link UnauthorizedError} / {@link HttpError} /
   *   {@link NetworkError} / {@link TimeoutError} when the request fails.
   *
   * @example
   * await client.auth.device.remove("device-id");
   */
  async remove(deviceId: string): Promise<void> {
    return removeBoundDevice(this.#config.api, deviceId);
  }

  /**
   * Binds a device in one call, the whole flow of Kontist's API today: reads the signer's public key;
   * asks for a device binding request ({@link DeviceAuth.requestBinding}); awaits
   * `onBindingRequest(request)`, where the app tells the user to confirm it in the e-mail (or on a device
   * already bound); waits for the confirmation ({@link DeviceAuth.waitForBindingConfirmation}); registers
   * the key ({@link DeviceAuth.createDevice}); awaits `otp()` for the SMS one-time password; signs it and
   * verifies the device ({@link DeviceAuth.verifyDevice}). With `bindingRequest: false` it skips the
   * binding request, for the API before December 2023. Keep the signer's key and the `deviceId` to
   * confirm later. The OTP and the key never appear in an error.
   *
   * @returns the bound device's id, and the confirmed binding request (unless `bindingRequest: false`).
   * @throws {DeviceBindingRejectedError} when the user rejected the binding request.
   * @throws {TimeoutError} when the user did not answer within `confirmationTimeout`.
   * @throws {DeviceBindingCancelledError} when `signal` aborts (its reason is the `cause`).
   * @throws whatever `onBindingRequest` throws or rejects with; and whatever `otp()` rejects with.
   * @throws {SignerError} (from `@kontist-auth/crypto`) when the signer fails to give its public key or
   *   to sign; {@link InvalidPublicKeyError} when its public key is not a P-256 point (nothing is sent).
   * @throws {TypeError} when an option is missing or malformed (nothing is sent), or `otp()` does not
   *   resolve to a non-empty string.
   * @throws the errors of {@link DeviceAuth.requestBinding}, {@link DeviceAuth.waitForBindingConfirmation},
   *   {@link DeviceAuth.createDevice} and {@link DeviceAuth.verifyDevice}.
   *
   * @example
   * import { createSoftwareSigner } from "@kontist-auth/crypto";
   *
   * const signer = createSoftwareSigner();
   * const { deviceId } = await client.auth.device.bind({
   *   signer,
   *   name: "My laptop",
   *   onBindingRequest: (request) => console.log(`Confirm "${request.deviceName}" in the e-mail we sent you.`),
   *   otp: async () => prompt("The code we sent you by SMS") ?? "",
   * });
   */
  async bind(options: BindDeviceOptions): Promise<BindDeviceResult> {
    return bindDevice(this.#config.api, options);
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
   * const token = await client.auth.device.confirm({ signer, deviceId: "device-id" });
   * token.confirmed; // true
   */
  async confirm(options: ConfirmDeviceOptions): Promise<Token> {
    return confirmDevice(this.#config.api, this.#config.tokenManager, options);
  }
}
