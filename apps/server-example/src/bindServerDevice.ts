import { createInterface } from "node:readline/promises";
import type { BindDeviceOptions, Client, DeviceBindingRequest } from "@kontist-auth/client";

/**
 * Binds `signer`'s key as a device of the logged-in user, talking to the operator in the terminal, as
 * Kontist's API wants it today: creates a device binding request and tells the operator to confirm it in
 * the e-mail Kontist sent (or on a device already bound), waits for that, registers the key, then asks
 * for the code Kontist sent by SMS. Ctrl-C cancels, at any step.
 *
 * @returns the bound device's id; keep it (`KONTIST_DEVICE_ID`) to confirm later logins with the key.
 * @throws {DeviceBindingCancelledError} (`DEVICE_BINDING_CANCELLED`) after Ctrl-C.
 * @throws {DeviceBindingRejectedError} (`DEVICE_BINDING_REJECTED`) when the user rejected the request.
 * @throws {TimeoutError} (`TIMEOUT`) when nobody confirmed it within 10 minutes.
 * @throws {Error} when standard input ends before the SMS code was entered.
 * @throws the errors of `client.auth.device.bind` (a wrong code is an `HttpError` 400, …).
 *
 * @example
 * const deviceId = await bindServerDevice(client, signer, "server-example");
 */
export async function bindServerDevice(
  client: Pick<Client, "auth">,
  signer: BindDeviceOptions["signer"],
  name: string,
): Promise<string> {
  const cancel = new AbortController();
  const onInterrupt = () => cancel.abort(new Error("Ctrl-C"));
  process.once("SIGINT", onInterrupt);
  try {
    const { deviceId } = await client.auth.device.bind({
      signer,
      name,
      signal: cancel.signal,
      onBindingRequest: (request: DeviceBindingRequest) => {
        console.log(
          `Kontist sent you an e-mail: confirm the new device ${JSON.stringify(request.deviceName)} there ` +
            "(or on a device already bound). Waiting for your confirmation… (Ctrl-C cancels)",
        );
      },
      otp: () => askForSmsCode(cancel.signal, onInterrupt),
    });
    return deviceId;
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
}

/** Prompts for the SMS code on standard input (a terminal or a pipe); the answer is never echoed by us. */
async function askForSmsCode(signal: AbortSignal, onInterrupt: () => void): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  // In a terminal, readline takes Ctrl-C for itself: pass it on as the cancellation.
  terminal.on("SIGINT", onInterrupt);
  try {
    return await new Promise<string>((resolve, reject) => {
      // readline leaves the question pending forever when the input ends; answer that as an error.
      terminal.once("close", () =>
        reject(new Error("Standard input ended before the SMS code was entered.")),
      );
      terminal
        .question("Confirmed. The code Kontist sent you by SMS: ", { signal })
        .then((answer) => resolve(answer.trim()), reject);
    });
  } finally {
    terminal.close();
  }
}
