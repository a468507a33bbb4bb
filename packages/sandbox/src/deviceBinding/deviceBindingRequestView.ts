import type { DeviceBindingRequest } from "@kontist-auth/protocol";
import type { DeviceBindingRequestRecord } from "../state/SandboxStore";

const isoOrNull = (time: number | undefined) => (time === undefined ? null : new Date(time).toISOString());

/**
 * A device binding request as GraphQL answers it (`DeviceBindingRequest` of Kontist's schema): times as
 * ISO 8601 strings, `confirmedAt` / `rejectedAt` `null` until the user answers.
 *
 * @example
 * deviceBindingRequestView(record).confirmedAt; // null, or "2026-11-30T10:00:00.000Z"
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
