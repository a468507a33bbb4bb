import { startSandbox } from "@kontist-auth/sandbox";
import type { Context } from "../Context";
import { CliError, exitCodes } from "../errors";

/**
 * `sandbox [--port]`: starts the local Kontist sandbox in this process, prints its URL and its phone
 * page's, and runs until Ctrl-C. Log in against it with `--base-url` and the seeded client `demo-client`.
 *
 * @throws {CliError} `USAGE` for a port that is not 0–65535; the server's error when the port is taken.
 */
export async function runSandbox(context: Context, options: { port?: string | undefined }): Promise<void> {
  const port = options.port === undefined ? 4010 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(
      "USAGE",
      `--port must be a number from 0 to 65535, not "${options.port}".`,
      exitCodes.usage,
    );
  }
  const sandbox = await startSandbox({ port });
  const phone = `${sandbox.url}/sandbox/phone`;
  context.terminal.result({ url: sandbox.url, phone }, [
    `Kontist sandbox listening on ${sandbox.url}`,
    `Phone and mailbox: ${phone}`,
    `Log in: kontist-auth login --base-url ${sandbox.url} --client-id demo-client --username demo@example.com`,
    "  (client secret demo-secret in KONTIST_CLIENT_SECRET, password demo-password; Ctrl-C stops the sandbox)",
  ]);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await sandbox.close();
  context.terminal.note("Sandbox stopped.");
}
