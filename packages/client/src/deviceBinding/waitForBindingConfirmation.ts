import { type DeviceBindingRequest, sleep } from "@kontist-auth/protocol";
import { assertDelay } from "../async/assertDelay";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { linkedAbortController } from "../async/linkedAbortController";
import { DeviceBindingCancelledError } from "../errors/DeviceBindingCancelledError";
import { DeviceBindingRejectedError } from "../errors/DeviceBindingRejectedError";
import { TimeoutError } from "../errors/TimeoutError";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { assertAbortSignal } from "./assertAbortSignal";
import { assertNonEmptyString } from "./assertNonEmptyString";
import { readBindingRequest } from "./bindingRequests";
import { defaultBindingConfirmationTimeout } from "./defaultBindingConfirmationTimeout";

/** Options of `client.auth.device.waitForBindingConfirmation`. */
export interface WaitForBindingConfirmationOptions {
  /** Cancels the wait when it aborts: polling stops, a poll in flight is aborted. */
  signal?: AbortSignal | undefined;
  /** Milliseconds between two polls; default `defaultPollInterval` (3 000). The first poll is at once. */
  pollInterval?: number | undefined;
  /** Milliseconds to wait for the user's answer; default 600 000 (10 minutes). */
  timeout?: number | undefined;
}

/**
 * Waits until the user answers a device binding request, checking the arguments first; a cancel by
 * `signal` rejects with a {@link DeviceBindingCancelledError}. `client.auth.device.waitForBindingConfirmation`
 * documents it.
 *
 * @throws {TypeError} when an argument is malformed.
 * @throws {DeviceBindingCancelledError} when `signal` aborts; and the errors of {@link pollBindingRequest}.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const controller = new AbortController(); // controller.abort() cancels the wait
 * const confirmed = await waitForBindingConfirmation(api, "request-id", { signal: controller.signal });
 */
export async function waitForBindingConfirmation(
  api: AuthenticatedTransport,
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
  assertAbortSignal(signal, "waitForBindingConfirmation: signal");
  const { controller, unlink } = linkedAbortController(
    signal,
    (reason) => new DeviceBindingCancelledError("waitForBindingConfirmation()", reason),
  );
  try {
    return await pollBindingRequest(api, id, pollInterval, timeout, controller.signal);
  } finally {
    unlink();
  }
}

/**
 * Polls `getDeviceBindingRequest(id)` at once, then every `pollInterval` ms, until the request is
 * answered or `timeout` passes. `cancel` carries the caller's cancellation (its reason is what the wait
 * rejects with); the timeout gets a controller of its own, so it ends this wait without aborting the
 * caller's other work. It leaves no timer and no listener behind.
 *
 * @returns the confirmed request.
 * @throws {DeviceBindingRejectedError} when the user rejected it.
 * @throws {TimeoutError} when no answer came within `timeout` ms (a poll in flight is aborted).
 * @throws the `reason` of `cancel` when it aborts; else the error of a failed poll
 *   ({@link readBindingRequest}).
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const controller = new AbortController();
 * const confirmed = await pollBindingRequest(api, "request-id", 3_000, 600_000, controller.signal);
 */
export async function pollBindingRequest(
  api: AuthenticatedTransport,
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
      const request = await readBindingRequest(api, id, signal);
      if (request.confirmedAt) return request;
      if (request.rejectedAt) throw new DeviceBindingRejectedError(id, request.rejectedAt);
      await sleep(pollInterval, signal);
    }
  } catch (error) {
    // A poll aborted by the timeout or a cancel may fail in its own way; the abort's reason is the answer.
    throw signal.aborted ? signal.reason : error;
  } finally {
    clearTimeout(timer);
    unlink();
  }
}
