import { randomUUID } from "node:crypto";
import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { DeviceBindingRequestRecord, UserRecord } from "../state/SandboxStore";
import { locateIpAddress } from "./locateIpAddress";

/** What the app tells about the device it wants to bind, and where the request came from. */
export interface DeviceBindingRequestInput {
  deviceName: string;
  /** Kontist's optional `deviceId` argument; recorded as given. */
  deviceId?: string | null | undefined;
  /** The caller's IP address. */
  ipAddress: string;
}

/**
 * Records a device binding request of `user` (`createDeviceBindingRequest`) and "e-mails" the user a
 * confirmation (`GET /sandbox/emails`) whose link opens the request's page on the sandbox, where the user
 * confirms or rejects it. The e-mail names the device, the IP address and the place; it holds no token.
 *
 * @returns the new request, unanswered.
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * const user = runtime.store.findUserByEmail("demo@example.com");
 * if (user !== undefined) {
 *   const request = createDeviceBindingRequest(runtime, user, {
 *     deviceName: "Pixel",
 *     ipAddress: "127.0.0.1",
 *   });
 *   runtime.store.emails.at(-1)?.deviceBindingRequestId === request.id; // true: the user's e-mail
 * }
 */
export function createDeviceBindingRequest(
  runtime: SandboxRuntime,
  user: UserRecord,
  input: DeviceBindingRequestInput,
): DeviceBindingRequestRecord {
  const now = runtime.now();
  const request: DeviceBindingRequestRecord = {
    id: randomUUID(),
    userId: user.id,
    deviceName: input.deviceName,
    deviceId: input.deviceId ?? undefined,
    ipAddress: input.ipAddress,
    address: locateIpAddress(input.ipAddress),
    createdAt: now,
    confirmedAt: undefined,
    rejectedAt: undefined,
    usedByDeviceId: undefined,
  };
  runtime.store.deviceBindingRequests.set(request.id, request);
  const link = `${runtime.issuer()}${sandboxPaths.deviceBindingRequestPage(request.id)}`;
  runtime.store.emails.push({
    to: user.email,
    subject: "Confirm your new device",
    text: [
      `A device named "${request.deviceName}" asks to be bound to your Kontist account.`,
      `Requested from ${request.ipAddress} (${request.address}) at ${new Date(now).toISOString()}.`,
      `If this was you, confirm it: ${link}`,
      "If it was not you, reject it on the same page.",
    ].join("\n"),
    link,
    deviceBindingRequestId: request.id,
    sentAt: new Date(now).toISOString(),
  });
  return request;
}
