import type { DeviceBindingRequest } from "@kontist-auth/protocol";
import type { DeviceBindingRequestRecord } from "../state/SandboxStore";

const isoOrNull = (time: number | undefined) => (time === undefined ? null : new Date(time).toISOString());

/**
 * A device binding request as GraphQL answers it (`DeviceBindingRequest` of Kontist's schema): times as
 * ISO 8601 strings, `confirmedAt` / `rejectedAt` `null` until the user answers.
 *
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 * import { createDeviceBindingRequest } from "./createDeviceBindingRequest";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * const user = runtime.store.findUserByEmail("demo@example.com");
 * if (user !== undefined) {
 *   const record = createDeviceBindingRequest(runtime, user, {
 *     deviceName: "Pixel",
 *     ipAddress: "127.0.0.1",
 *   });
 *   deviceBindingRequestView(record).confirmedAt; // null; once confirmed e.g. "2026-11-30T10:00:00.000Z"
 * }
 */
export function deviceBindingRequestView(record: DeviceBindingRequestRecord): DeviceBindingRequest {
  return {
    id: record.id,
    ipAddress: record.ipAddress,
    deviceName: record.deviceName,
    address: record.address,
    confirmedAt: isoOrNull(record.confirmedAt),
    rejectedAt: isoOrNull(record.rejectedAt),
    createdAt: new Date(record.createdAt).toISOString(),
  };
}
