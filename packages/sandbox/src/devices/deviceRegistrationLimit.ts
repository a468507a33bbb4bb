import { ApiError } from "../http/ApiError";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/** The user's registrations still inside the window, oldest first (older ones are dropped). */
function recentRegistrations(runtime: SandboxRuntime, userId: string): number[] {
  const since = runtime.now() - runtime.config.deviceRegistrationWindow * 1000;
  const recent = (runtime.store.deviceRegistrations.get(userId) ?? []).filter((at) => at > since);
  runtime.store.deviceRegistrations.set(userId, recent);
  return recent;
}

/**
 * Checks that the user `userId` may register one more device: each registration texts a new OTP with
 * `otpAttempts` tries, so without a limit an attacker holding an unconfirmed token could guess OTPs by
 * registering again and again. At most `deviceRegistrationLimit` registrations per
 * `deviceRegistrationWindow` seconds, per user (a sliding window; reset clears it).
 *
 * @throws {ApiError} 429 with `Retry-After` (whole seconds until the oldest registration leaves the
 *   window) when the user has reached the limit.
 * @example
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // POST /api/user/devices
 * function registerDevice(runtime: SandboxRuntime, userId: string): void {
 *   ensureDeviceRegistrationAllowed(runtime, userId); // before anything is spent or sent
 *   // … spend the binding confirmation, store the device, text its OTP …
 *   recordDeviceRegistration(runtime, userId); // once the device is registered and its OTP sent
 * }
 */
export function ensureDeviceRegistrationAllowed(runtime: SandboxRuntime, userId: string): void {
  const { deviceRegistrationLimit, deviceRegistrationWindow } = runtime.config;
  const recent = recentRegistrations(runtime, userId);
  const oldest = recent[0];
  if (recent.length < deviceRegistrationLimit || oldest === undefined) return;
  const retryAfter = Math.max(
    1,
    Math.ceil((oldest + deviceRegistrationWindow * 1000 - runtime.now()) / 1000),
  );
  throw new ApiError(
    429,
    `Too many device registrations: at most ${deviceRegistrationLimit} per ${deviceRegistrationWindow} ` +
      "seconds per user (deviceRegistrationLimit, --device-registration-limit). " +
      `Try again in ${retryAfter} seconds.`,
    { "Retry-After": String(retryAfter) },
  );
}

/**
 * Counts a device registration (and the OTP it texted) of the user `userId` against
 * {@link ensureDeviceRegistrationAllowed}'s limit.
 *
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions({ deviceRegistrationLimit: 1 }));
 * const userId = "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01";
 * recordDeviceRegistration(runtime, userId);
 * ensureDeviceRegistrationAllowed(runtime, userId); // throws ApiError 429, Retry-After: 3600
 */
export function recordDeviceRegistration(runtime: SandboxRuntime, userId: string): void {
  recentRegistrations(runtime, userId).push(runtime.now());
}
