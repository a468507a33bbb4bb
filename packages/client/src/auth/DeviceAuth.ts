import { createDeviceSignature, type P256Signer, SignerError, toDeviceKeyHex } from "@kontist-auth/crypto";
import {
  type BoundDevice,
  type CreateDeviceRequest,
  type CreateDeviceResponse,
  confirmedTokenResponseSchema,
  createDeviceBindingRequestDataSchema,
  createDeviceResponseSchema,
  type DeviceBindingRequest,
  type DeviceChallenge,
  deleteBoundDeviceDataSchema,
  deviceChallengeSchema,
  deviceGraphQL,
  getDeviceBindingRequestDataSchema,
  listBoundDevicesDataSchema,
  parseResponse,
  paths,
  updateDeviceBindingRequestDataSchema,
  type VerifyDeviceChallengeRequest,
  type VerifyDeviceRequest,
} from "@kontist-auth/protocol";
import { assertDelay } from "../async/assertDelay";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { delay } from "../async/delay";
import { linkedAbortController } from "../async/linkedAbortController";
import { untilAborted } from "../async/untilAborted";
import { DeviceBindingCancelledError } from "../errors/DeviceBindingCancelledError";
import { DeviceBindingRejectedError } from "../errors/DeviceBindingRejectedError";
import { DeviceBindingRequestNotFoundError } from "../errors/DeviceBindingRequestNotFoundError";
import { MutationRefusedError } from "../errors/MutationRefusedError";
import { TimeoutError } from "../errors/TimeoutError";
import { sendGraphQLRequest } from "../graphql/sendGraphQLRequest";
import { processApiResponse } from "../http/processApiResponse";
import { processEmptyResponse } from "../http/processEmptyResponse";
import type { Token } from "../token/Token";
import type { AuthenticatedTransport } from "./AuthenticatedTransport";
import { acceptConfirmedToken } from "./acceptConfirmedToken";
import type { TokenManager } from "./TokenManager";

/**
 * How long {@link DeviceAuth.waitForBindingConfirmation} waits by default, in milliseconds (10 minutes).
 * Generous on purpose: the user has to notice an e-mail, open it and click the link (or reach for their
 * other device), which takes minutes rather than the seconds a push approval on a phone in hand takes.
 */
export const defaultBindingConfirmationTimeout = 600_000;

/** Options of {@link DeviceAuth.requestBinding}. */
export interface RequestBindingOptions {
  /** The new device's name, shown to the user in the confirmation e-mail and on their bound devices. */
  name: string;
  /** Kontist's optional `deviceId` argument of `createDeviceBindingRequest`, passed on as it is. */
  deviceId?: string | undefined;
}

/** Options of {@link DeviceAuth.waitForBindingConfirmation}. */
export interface WaitForBindingConfirmationOptions {
  /** Cancels the wait when it aborts: polling stops, a poll in flight is aborted. */
  signal?: AbortSignal | undefined;
  /** Milliseconds between two polls; default {@link defaultPollInterval} (3 000). The first poll is at once. */
  pollInterval?: number | undefined;
  /** Milliseconds to wait for the user's answer; default {@link defaultBindingConfirmationTimeout} (600 000). */
  timeout?: number | undefined;
}

/** Options of {@link DeviceAuth.bind}. */
export interface BindDeviceOptions {
  /** The device's key; its public key is registered, its private key signs the OTP. */
  signer: P256Signer;
  /** A name for the device, shown to the user in the confirmation e-mail and their device list. */
  name: string;
  /**
   * Asks for the one-time password the API sent by SMS once the device was registered, e.g. by
   * prompting the user. Called once, after `createDevice`.
   */
  otp: () => Promise<string>;
  /** Kontist's optional `deviceId` argument of `createDeviceBindingRequest` (see {@link RequestBindingOptions}). */
  deviceId?: string | undefined;
  /**
   * Called with the new binding request before the wait for its confirmation starts: the place to tell
   * the user to confirm it in the e-mail Kontist sent them (or on a device already bound). `bind` waits
   * for what it returns; when that rejects (or it throws), `bind` stops with that error.
   */
  onBindingRequest?: ((request: DeviceBindingRequest) => void | Promise<void>) | undefined;
  /**
   * `false` skips the device binding request (no request, no `onBindingRequest`, no wait) and registers
   * the device straight away, as the API did before December 2023 (and the sandbox does with
   * `requireDeviceBindingRequest: false`). Kontist's API today refuses `createDevice` without a request
   * confirmed within the last 3 minutes. Default `true`.
   */
  bindingRequest?: boolean | undefined;
  /** Cancels the binding: the step under way stops (a request in flight is aborted). */
  signal?: AbortSignal | undefined;
  /** Milliseconds between two polls of the binding request; default {@link defaultPollInterval} (3 000). */
  pollInterval?: number | undefined;
  /** Milliseconds to wait for the user's confirmation; default {@link defaultBindingConfirmationTimeout}. */
  confirmationTimeout?: number | undefined;
}

/** What {@link DeviceAuth.bind} resolves with. */
export interface BindDeviceResult {
  /** The bound device's id: keep it, with the signer's key, to confirm tokens later. */
  deviceId: string;
  /** The confirmed binding request; absent with `bindingRequest: false`. */
  bindingRequest?: DeviceBindingRequest;
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
 * const signer = createSoftwareSigner();
 * const { deviceId } = await client.auth.device.bind({
 *   signer,
 *   name: "My laptop",
 *   onBindingRequest: () => console.log("Confirm the new device in the e-mail we just sent you."),
 *   otp: askUserForOtp,
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
   * showMessage(`We sent you an e-mail: confirm "${request.deviceName}" there.`);
   */
  async requestBinding(options: RequestBindingOptions): Promise<DeviceBindingRequest> {
    const { name, deviceId } = options ?? {};
    assertNonEmptyString(name, "requestBinding: name");
    if (deviceId !== undefined) assertNonEmptyString(deviceId, "requestBinding: deviceId");
    return this.#requestBinding(name, deviceId, undefined);
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
   * const request = await client.auth.device.getBindingRequest(id);
   * if (request.confirmedAt) await createAndVerifyDevice();
   */
  async getBindingRequest(id: string): Promise<DeviceBindingRequest> {
    assertNonEmptyString(id, "getBindingRequest: id");
    return this.#getBindingRequest(id, undefined);
  }

  /**
   * Waits until the user answers a device binding request: polls `getDeviceBindingRequest(id)` at once,
   * then every `pollInterval` ms, until `confirmedAt` or `rejectedAt` is set. It always settles, and
   * leaves no timer and no listener on `signal` behind: a poll that fails rejects it with that poll's
   * error, and a cancel or the timeout aborts a poll in flight.
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
   * cancelButton.onclick = () => controller.abort();
   * const request = await client.auth.device.requestBinding({ name: "My laptop" });
   * await client.auth.device.waitForBindingConfirmation(request.id, { signal: controller.signal });
   */
  async waitForBindingConfirmation(
    id: string,
    options: WaitForBindingConfirmationOptions = {},
  ): Promise<DeviceBindingRequest> {
    assertNonEmptyString(id, "waitForBindingConfirmation: id");
    const {
      signal,
      pollInterval = defaultPollInterval,
      timeout = defaultBindingConfirmationTimeout,
    } = options ?? {};
    assertDelay(pollInterval, "waitForBindingConfirmation: pollInterval");
    assertDelay(timeout, "waitForBindingConfirmation: timeout");
    assertSignal(signal, "waitForBindingConfirmation: signal");
    const { controller, unlink } = linkedAbortController(
      signal,
      (reason) => new DeviceBindingCancelledError("waitForBindingConfirmation()", reason),
    );
    try {
      return await this.#waitForConfirmation(id, pollInterval, timeout, controller.signal);
    } finally {
      unlink();
    }
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
   * await client.auth.device.answerBindingRequest(request.id, await askUser(`Bind ${request.deviceName}?`));
   */
  async answerBindingRequest(id: string, approve: boolean): Promise<void> {
    assertNonEmptyString(id, "answerBindingRequest: id");
    if (typeof approve !== "boolean") {
      throw new TypeError("answerBindingRequest: approve must be true (confirm) or false (reject).");
    }
    const operation = "updateDeviceBindingRequest";
    const data = parseResponse(
      updateDeviceBindingRequestDataSchema,
      await this.#graphQL(operation, { id, isConfirmation: approve }, undefined),
      dataSource(operation),
    );
    if (!data.updateDeviceBindingRequest) {
      throw new MutationRefusedError(
        operation,
        `${approve ? "confirm" : "reject"} the device binding request ${id}`,
      );
    }
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
   * const key = toDeviceKeyHex(await signer.getPublicKey());
   * const { deviceId, challengeId } = await client.auth.device.createDevice({ name: "My laptop", key });
   */
  async createDevice(request: CreateDeviceRequest): Promise<CreateDeviceResponse> {
    return this.#createDevice(request, undefined);
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
   * const signature = await createDeviceSignature(signer, otpFromSms);
   * await client.auth.device.verifyDevice(deviceId, { challengeId, signature });
   */
  async verifyDevice(deviceId: string, request: VerifyDeviceRequest): Promise<void> {
    await this.#verifyDevice(deviceId, request, [], undefined);
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
   * const { id, stringToSign } = await client.auth.device.createDeviceChallenge(deviceId);
   */
  async createDeviceChallenge(deviceId: string): Promise<DeviceChallenge> {
    const response = await this.#config.api.send({ method: "POST", path: paths.deviceChallenges(deviceId) });
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
   * @throws {TypeError} when `deviceId` or `challengeId` is empty, `.` or `..`; nothing is sent.
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
    const response = await this.#config.api.send({
      method: "POST",
      path: paths.verifyDeviceChallenge(deviceId, challengeId),
      json: { signature: request.signature },
      secrets: [request.signature],
    });
    const body = processApiResponse(response, confirmedTokenResponseSchema);
    return acceptConfirmedToken(this.#config.tokenManager, body);
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
    const operation = "listBoundDevices";
    const data = parseResponse(
      listBoundDevicesDataSchema,
      await this.#graphQL(operation, undefined, undefined),
      dataSource(operation),
    );
    return data.listBoundDevices;
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
   * await client.auth.device.remove(deviceId);
   */
  async remove(deviceId: string): Promise<void> {
    assertNonEmptyString(deviceId, "remove: deviceId");
    const operation = "deleteBoundDevice";
    const data = parseResponse(
      deleteBoundDeviceDataSchema,
      await this.#graphQL(operation, { deviceId }, undefined),
      dataSource(operation),
    );
    if (!data.deleteBoundDevice)
      throw new MutationRefusedError(operation, `remove the bound device ${deviceId}`);
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
   * const signer = createSoftwareSigner();
   * const { deviceId } = await client.auth.device.bind({
   *   signer,
   *   name: "My laptop",
   *   onBindingRequest: (request) => showMessage(`Confirm "${request.deviceName}" in the e-mail we sent you.`),
   *   otp: () => prompt("The code we sent you by SMS"),
   * });
   */
  async bind(options: BindDeviceOptions): Promise<BindDeviceResult> {
    const {
      signer,
      name,
      otp,
      deviceId,
      onBindingRequest,
      bindingRequest = true,
      signal,
      pollInterval = defaultPollInterval,
      confirmationTimeout = defaultBindingConfirmationTimeout,
    } = options ?? {};
    if (typeof signer?.getPublicKey !== "function" || typeof signer.sign !== "function") {
      throw new TypeError("bind: signer must be a P256Signer (getPublicKey and sign).");
    }
    assertNonEmptyString(name, "bind: name");
    if (typeof otp !== "function") throw new TypeError("bind: otp must be a function.");
    if (deviceId !== undefined) assertNonEmptyString(deviceId, "bind: deviceId");
    if (onBindingRequest !== undefined && typeof onBindingRequest !== "function") {
      throw new TypeError("bind: onBindingRequest must be a function.");
    }
    if (typeof bindingRequest !== "boolean") throw new TypeError("bind: bindingRequest must be a boolean.");
    assertDelay(pollInterval, "bind: pollInterval");
    assertDelay(confirmationTimeout, "bind: confirmationTimeout");
    assertSignal(signal, "bind: signal");
    const { controller, unlink } = linkedAbortController(
      signal,
      (reason) => new DeviceBindingCancelledError("bind()", reason),
    );
    const cancel = controller.signal;
    try {
      cancel.throwIfAborted();
      // The key first: a broken signer fails before the user is sent an e-mail.
      const key = await publicKeyHex(signer);
      let confirmed: DeviceBindingRequest | undefined;
      if (bindingRequest) {
        const request = await this.#requestBinding(name, deviceId, cancel);
        await untilAborted(Promise.resolve(onBindingRequest?.(request)), cancel);
        confirmed = await this.#waitForConfirmation(request.id, pollInterval, confirmationTimeout, cancel);
      }
      const created = await this.#createDevice({ name, key }, cancel);
      const password = await untilAborted(Promise.resolve(otp()), cancel);
      if (typeof password !== "string" || password === "") {
        throw new TypeError("bind: otp() must resolve to the one-time password, a non-empty string.");
      }
      cancel.throwIfAborted();
      const signature = await createDeviceSignature(signer, password);
      const verify = { challengeId: created.challengeId, signature };
      await this.#verifyDevice(created.deviceId, verify, [password, key], cancel);
      return confirmed === undefined
        ? { deviceId: created.deviceId }
        : { deviceId: created.deviceId, bindingRequest: confirmed };
    } catch (error) {
      // Once cancelled, the cancellation is the answer, whatever the step under way failed with.
      throw cancel.aborted ? cancel.reason : error;
    } finally {
      unlink();
    }
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

  async #requestBinding(
    name: string,
    deviceId: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<DeviceBindingRequest> {
    const operation = "createDeviceBindingRequest";
    const variables = deviceId === undefined ? { deviceName: name } : { deviceName: name, deviceId };
    const data = parseResponse(
      createDeviceBindingRequestDataSchema,
      await this.#graphQL(operation, variables, signal),
      dataSource(operation),
    );
    return data.createDeviceBindingRequest;
  }

  async #getBindingRequest(id: string, signal: AbortSignal | undefined): Promise<DeviceBindingRequest> {
    const operation = "getDeviceBindingRequest";
    const data = parseResponse(
      getDeviceBindingRequestDataSchema,
      await this.#graphQL(operation, { id }, signal),
      dataSource(operation),
    );
    if (data.getDeviceBindingRequest === null) throw new DeviceBindingRequestNotFoundError(id);
    return data.getDeviceBindingRequest;
  }

  /**
   * Polls until the request is answered, or `timeout` passes. `cancel` carries the caller's cancellation
   * (its reason is what the wait rejects with); the timeout gets a controller of its own, so it ends this
   * wait without aborting the caller's other work.
   */
  async #waitForConfirmation(
    id: string,
    pollInterval: number,
    timeout: number,
    cancel: AbortSignal,
  ): Promise<DeviceBindingRequest> {
    const { controller, unlink } = linkedAbortController(cancel, (reason) => reason);
    const timer = setTimeout(
      () => controller.abort(new TimeoutError(`waitForBindingConfirmation(${id})`, timeout)),
      timeout,
    );
    const { signal } = controller;
    try {
      for (;;) {
        signal.throwIfAborted();
        const request = await this.#getBindingRequest(id, signal);
        if (request.confirmedAt) return request;
        if (request.rejectedAt) throw new DeviceBindingRejectedError(id, request.rejectedAt);
        await delay(pollInterval, signal);
      }
    } catch (error) {
      // A poll aborted by the timeout or a cancel may fail in its own way; the abort's reason is the answer.
      throw signal.aborted ? signal.reason : error;
    } finally {
      clearTimeout(timer);
      unlink();
    }
  }

  async #createDevice(
    request: CreateDeviceRequest,
    signal: AbortSignal | undefined,
  ): Promise<CreateDeviceResponse> {
    const response = await this.#config.api.send({
      method: "POST",
      path: paths.devices,
      json: { name: request.name, key: request.key },
      secrets: [request.key],
      signal,
    });
    return processApiResponse(response, createDeviceResponseSchema);
  }

  async #verifyDevice(
    deviceId: string,
    request: VerifyDeviceRequest,
    secrets: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const response = await this.#config.api.send({
      method: "POST",
      path: paths.verifyDevice(deviceId),
      json: { challengeId: request.challengeId, signature: request.signature },
      secrets: [request.signature, ...secrets],
      signal,
    });
    processEmptyResponse(response);
  }

  /** Runs one of protocol's device documents; a missing token is a `NoTokenError` (nothing is public here). */
  #graphQL(
    operation: keyof typeof deviceGraphQL,
    variables: Record<string, unknown> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    return sendGraphQLRequest(this.#config.api, { query: deviceGraphQL[operation], variables, signal });
  }
}

/** What a device operation's `data` is called in a `ResponseValidationError`. */
function dataSource(operation: keyof typeof deviceGraphQL): string {
  return `POST ${paths.graphQL} ${operation} data`;
}

async function publicKeyHex(signer: P256Signer): Promise<string> {
  let publicKey: Uint8Array;
  try {
    publicKey = await signer.getPublicKey();
  } catch (cause) {
    throw new SignerError("The signer failed to give its public key.", { cause });
  }
  return toDeviceKeyHex(publicKey);
}

function assertNonEmptyString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string" || value === "") throw new TypeError(`${name} must be a non-empty string.`);
}

function assertSignal(value: unknown, name: string): asserts value is AbortSignal | undefined {
  // Duck-typed: a signal from another realm (an iframe, a test environment) is an AbortSignal too.
  const signal = value as Partial<AbortSignal> | null | undefined;
  if (
    value !== undefined &&
    (typeof signal?.aborted !== "boolean" || typeof signal.addEventListener !== "function")
  ) {
    throw new TypeError(`${name} must be an AbortSignal.`);
  }
}
