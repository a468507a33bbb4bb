#!/usr/bin/env node
import { CliUsageError, parseCliArgs, usage } from "./cli/parseCliArgs";
import { phonePaths } from "./phone/phonePaths";
import { startSandbox } from "./server/startSandbox";

/** `kontist-sandbox`: starts the sandbox, prints its URL and its phone page's, stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`kontist-sandbox: ${error.message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    console.log(usage);
    return;
  }
  const sandbox = await startSandbox({ ...parsed.options, log: (line) => console.log(line) });
  console.log(`Kontist sandbox listening on ${sandbox.url}`);
  console.log(`Phone and mailbox: ${sandbox.url}${phonePaths.page}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the sandbox.`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  console.error(
    `kontist-sandbox: could not start${typeof code === "string" ? ` (${code})` : ""}: ${
      error instanceof Error ? error.message : "unknown error"
    }`,
  );
  process.exit(1);
});
