import type { RunningSandbox } from "@kontist-auth/sandbox";
import { expect } from "vitest";
import { type CliRun, startCli } from "./cliProcess";

/**
 * Runs `kontist-auth device bind …` with pipes and plays the user's part: once Kontist has e-mailed the
 * binding request, confirms it (the e-mail's link), and once the SMS is sent, types its code on stdin.
 */
export async function bindAsUser(
  sandbox: RunningSandbox,
  args: readonly string[],
  env: Record<string, string>,
): Promise<CliRun> {
  const emailsBefore = (await sandbox.test.emails()).length;
  const smsBefore = (await sandbox.test.sms()).length;
  const bind = startCli(["device", "bind", ...args], env);
  let requestId: string | undefined;
  await expect
    .poll(
      async () => {
        const emails = await sandbox.test.emails();
        requestId = emails.length > emailsBefore ? emails.at(-1)?.deviceBindingRequestId : undefined;
        return requestId;
      },
      { timeout: 15_000 },
    )
    .toBeDefined();
  await sandbox.test.confirmBindingRequest(requestId ?? "");
  await expect
    .poll(async () => (await sandbox.test.sms()).length, { timeout: 15_000 })
    .toBeGreaterThan(smsBefore);
  bind.writeLine(await sandbox.test.latestOtp());
  return bind.done;
}
