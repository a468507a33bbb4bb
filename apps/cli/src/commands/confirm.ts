import { isKontistAuthError, type Token } from "@kontist-auth/client";
import type { Context } from "../Context";
import { CliError, cancelled, exitCodes } from "../errors";
import { openSigner } from "../signers";
import { describeToken, summarizeToken } from "../tokenSummary";
import { noDevice } from "./device";

/** Options of `kontist-auth confirm`. */
export interface ConfirmOptions {
  device?: string | true | undefined;
  push?: boolean | undefined;
}

/**
 * `confirm`: turns the profile's token into a confirmed one — `--device [id]` by signing a device
 * challenge with this profile's bound device, `--push` by a push notification the user approves on their
 * phone (a spinner while waiting; Ctrl-C stops waiting and says so, exit 130 — the challenge itself
 * runs out at Kontist on its own).
 *
 * @throws {CliError} `USAGE` without exactly one of `--device` / `--push`, `NO_DEVICE` when `--device`
 *   names no device of this profile, `CANCELLED` on Ctrl-C; the client's errors (`CHALLENGE_DENIED`, …).
 */
export async function confirm(context: Context, options: ConfirmOptions): Promise<void> {
  if ((options.device === undefined) === (options.push !== true)) {
    throw new CliError("USAGE", "Confirm with either --device [id] or --push.", exitCodes.usage);
  }
  const { client, profile } = await context.loggedInClient();
  let token: Token;
  if (options.push === true) {
    token = await confirmByPush(context, client);
  } else {
    const device = profile.device;
    if (device === undefined || (options.device !== true && options.device !== device.id)) {
      throw noDevice(context);
    }
    const { signer, close } = await openSigner(context, device.signer, false);
    try {
      token = await client.auth.device.confirm({ signer, deviceId: device.id });
    } finally {
      await close();
    }
  }
  const summary = summarizeToken(token);
  context.terminal.result(summary, ["Confirmed.", ...describeToken(summary)]);
}

async function confirmByPush(
  context: Context,
  client: Awaited<ReturnType<Context["loggedInClient"]>>["client"],
) {
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.on("SIGINT", onInterrupt);
  const progress = context.terminal.progress("Approve the login on your phone; waiting (Ctrl-C to cancel)");
  try {
    const token = await client.auth.push.getConfirmedToken({ signal: interrupt.signal });
    progress.done("Approved on your phone");
    return token;
  } catch (error) {
    if (isKontistAuthError(error, "CHALLENGE_CANCELLED")) {
      progress.fail("Cancelled");
      throw cancelled(
        "Cancelled: stopped waiting for the approval on your phone; the token stays unconfirmed.",
      );
    }
    progress.fail(isKontistAuthError(error, "CHALLENGE_DENIED") ? "Denied on your phone" : "Not confirmed");
    throw error;
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
}
