import { createDeviceSignature, type P256Signer, SignerError, toDeviceKeyHex } from "@kontist-auth/crypto";
import type { DeviceBindingRequest } from "@kontist-auth/protocol";
import { assertDelay } from "../async/assertDelay";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { linkedAbortController } from "../async/linkedAbortController";
import { untilAborted } from "../async/untilAborted";
import { DeviceBindingCancelledError } from "../errors/DeviceBindingCancelledError";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { assertAbortSignal } from "./assertAbortSignal";
import { assertNonEmptyString } from "./assertNonEmptyString";
import { createBindingRequest } from "./bindingRequests";
import { defaultBindingConfirmationTimeout } from "./defaultBindingConfirmationTimeout";
import { createDevice, verifyDevice } from "./deviceRegistration";
import { pollBindingRequest } from "./waitForBindingConfirmation";

/** Options of `client.auth.device.bind`. */
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
  /** Kontist's optional `deviceId` argument of `createDeviceBindingRequest` (see `RequestBindingOptions`). */
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
  /** Milliseconds between two polls of the binding request; default `defaultPollInterval` (3 000). */
  pollInterval?: number | undefined;
  /** Milliseconds to wait for the user's confirmation; default 600 000 (10 minutes). */
  confirmationTimeout?: number | undefined;
}

/** What `client.auth.device.bind` resolves with. */
export interface BindDeviceResult {
  /** The bound device's id: keep it, with the signer's key, to confirm tokens later. */
  deviceId: string;
  /** The confirmed binding request; absent with `bindingRequest: false`. */
  bindingRequest?: DeviceBindingRequest;
}

/**
 * Binds a device in one call (binding request, its confirmation, `createDevice`, the signed OTP,
 * `verifyDevice`), checking the options first; `client.auth.device.bind` documents it. Once `signal`
 * aborts, the cancellation is the answer, whatever the step under way failed with.
 *
 * @throws {TypeError} when an option is missing or malformed (nothing is sent), or `otp()` does not
 *   resolve to a non-empty string.
 * @throws {DeviceBindingCancelledError} when `signal` aborts.
 * @throws {SignerError} when the signer fails; and the errors of every step.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const otp = async () => prompt("The code we sent you by SMS") ?? "";
 * const { deviceId } = await bindDevice(api, { signer, name: "My laptop", otp });
 */
export async function bindDevice(
  api: AuthenticatedTransport,
  options: BindDeviceOptions,
): Promise<BindDeviceResult> {
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
  assertAbortSignal(signal, "bind: signal");
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
      const request = await createBindingRequest(api, name, deviceId, cancel);
      await untilAborted(Promise.resolve(onBindingRequest?.(request)), cancel);
      confirmed = await pollBindingRequest(api, request.id, pollInterval, confirmationTimeout, cancel);
    }
    const created = await createDevice(api, { name, key }, cancel);
    const password = await untilAborted(Promise.resolve(otp()), cancel);
    if (typeof password !== "string" || password === "") {
      throw new TypeError("bind: otp() must resolve to the one-time password, a non-empty string.");
    }
    cancel.throwIfAborted();
    const signature = await createDeviceSignature(signer, password);
    const verify = { challengeId: created.challengeId, signature };
    await verifyDevice(api, created.deviceId, verify, [password, key], cancel);
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

/** The signer's public key as the API wants it (hex of the uncompressed point). */
async function publicKeyHex(signer: P256Signer): Promise<string> {
  let publicKey: Uint8Array;
  try {
    publicKey = await signer.getPublicKey();
  } catch (cause) {
    throw new SignerError("The signer failed to give its public key.", { cause });
  }
  return toDeviceKeyHex(publicKey);
}
