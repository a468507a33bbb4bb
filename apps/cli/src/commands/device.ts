import { hostname } from "node:os";
import type { Context } from "../Context";
import { CliError, exitCodes } from "../errors";
import {
  defaultSignerKind,
  deleteSignerKey,
  describeSignerSpec,
  newSignerSpec,
  openSigner,
  type Pkcs11Choice,
} from "../signers";
import { describeToken, summarizeToken } from "../tokenSummary";

/** Options of `kontist-auth device bind`. */
export interface BindOptions extends Pkcs11Choice {
  signer?: string | undefined;
  name?: string | undefined;
}

/**
 * `device bind`: asks for a device binding request, waits (with a spinner) until the user confirms it in
 * Kontist's e-mail, asks for the SMS code, registers a new key as a device, then confirms the token with
 * it. The profile remembers the device and where its key is.
 *
 * @throws {CliError} `NOT_LOGGED_IN` without a token; the client's errors (`DEVICE_BINDING_REJECTED`,
 *   `TIMEOUT`, …) and the signer's.
 */
export async function bindDevice(context: Context, options: BindOptions): Promise<void> {
  const { client, profile } = await context.loggedInClient();
  const spec = newSignerSpec(context, options.signer ?? defaultSignerKind(), options);
  const name = options.name ?? `kontist-auth on ${hostname()}`;
  const { signer, close } = await openSigner(context, spec, true);
  try {
    context.terminal.note(`The device key: ${describeSignerSpec(context, spec)}.`);
    let waiting: ReturnType<typeof context.terminal.progress> | undefined;
    const interrupt = new AbortController();
    const onInterrupt = () => interrupt.abort();
    process.on("SIGINT", onInterrupt);
    let deviceId: string;
    try {
      ({ deviceId } = await client.auth.device.bind({
        signer,
        name,
        signal: interrupt.signal,
        onBindingRequest: (request) => {
          waiting = context.terminal.progress(
            `Confirm "${request.deviceName}" in the e-mail we sent you (request ${request.id}); waiting (Ctrl-C to stop)`,
          );
        },
        otp: async () => {
          waiting?.done("Binding request confirmed");
          waiting = undefined;
          return context.terminal.ask("The code we sent you by SMS");
        },
      }));
    } catch (error) {
      waiting?.fail(interrupt.signal.aborted ? "Cancelled" : "Binding failed");
      throw error;
    } finally {
      process.removeListener("SIGINT", onInterrupt);
    }
    await context.saveProfile({ ...profile, device: { id: deviceId, name, signer: spec } });
    const token = await client.auth.device.confirm({ signer, deviceId });
    const summary = summarizeToken(token);
    context.terminal.result({ deviceId, name, signer: spec.kind, token: summary }, [
      `Bound device ${deviceId} ("${name}"), ${describeSignerSpec(context, spec)}.`,
      ...describeToken(summary),
    ]);
  } finally {
    await close();
  }
}

/** `device list`: the user's bound devices (GraphQL `listBoundDevices`); this profile's is marked. */
export async function listDevices(context: Context): Promise<void> {
  const { client, profile } = await context.loggedInClient();
  const devices = await client.auth.device.list();
  const mine = profile.device?.id;
  context.terminal.result(
    devices.map((device) => ({ ...device, thisProfile: device.id === mine })),
    devices.length === 0
      ? ["No bound devices."]
      : devices.map((device) => `${device.id === mine ? "*" : " "} ${device.id}  ${device.name}`),
  );
}

/**
 * `device remove <id>`: unbinds a device (GraphQL `deleteBoundDevice`); when it is this profile's, also
 * forgets it and deletes its key.
 *
 * @throws the client's errors (`GRAPHQL_ERROR` for an unknown device, …).
 */
export async function removeDevice(context: Context, deviceId: string): Promise<void> {
  const { client, profile } = await context.loggedInClient();
  await client.auth.device.remove(deviceId);
  const ours = profile.device?.id === deviceId ? profile.device : undefined;
  if (ours !== undefined) {
    await context.saveProfile({ ...profile, device: undefined });
    await deleteSignerKey(context, ours.signer);
  }
  context.terminal.result({ removed: deviceId, keyDeleted: ours !== undefined }, [
    `Removed device ${deviceId}${ours ? "; its key is deleted" : ""}.`,
  ]);
}

/**
 * `device approve <request-id> [--reject]`: answers another device's binding request from this bound
 * device (GraphQL `updateDeviceBindingRequest`); Kontist wants a confirmed token for it, so the token is
 * confirmed with this profile's device first when it is not.
 *
 * @throws {CliError} `NO_DEVICE` (exit 3) when this profile has no bound device; the client's errors.
 */
export async function approveBindingRequest(
  context: Context,
  requestId: string,
  options: { reject?: boolean | undefined },
): Promise<void> {
  const { client, profile } = await context.loggedInClient();
  const token = await client.auth.tokenManager.getValidToken();
  if (!token.confirmed) {
    if (profile.device === undefined) throw noDevice(context);
    const { signer, close } = await openSigner(context, profile.device.signer, false);
    try {
      await client.auth.device.confirm({ signer, deviceId: profile.device.id });
    } finally {
      await close();
    }
  }
  const approve = options.reject !== true;
  await client.auth.device.answerBindingRequest(requestId, approve);
  context.terminal.result({ requestId, approved: approve }, [
    `${approve ? "Confirmed" : "Rejected"} binding request ${requestId}.`,
  ]);
}

/** The error for a command that needs this profile's bound device. */
export function noDevice(context: Context): CliError {
  return new CliError(
    "NO_DEVICE",
    `Profile "${context.profileName}" has no bound device; run \`kontist-auth device bind\`.`,
    exitCodes.notLoggedIn,
  );
}
