import { Command, CommanderError, Option } from "commander";
import { Context, type GlobalOptions } from "./Context";
import { confirm } from "./commands/confirm";
import { runDemo } from "./commands/demo";
import { approveBindingRequest, bindDevice, listDevices, removeDevice } from "./commands/device";
import { graphql } from "./commands/graphql";
import { login } from "./commands/login";
import { logout } from "./commands/logout";
import { runSandbox } from "./commands/sandbox";
import { subscribe } from "./commands/subscribe";
import { refreshToken, showToken } from "./commands/token";
import { CliError, describeFailure, exitCodes } from "./errors";

const exitCodeHelp = `
Exit codes:
  0    done
  1    the API or the SDK reported another error (the message names its code)
  2    wrong command line (unknown command or option, missing argument, bad JSON)
  3    not logged in, or no device bound for this profile
  4    the API refused the credentials or the token (wrong password, expired refresh token)
  5    a confirmation was refused (push denied or expired, binding request rejected)
  6    the API could not be reached or did not answer in time
  130  cancelled (Ctrl-C, or Esc at a prompt)

Environment:
  KONTIST_BASE_URL        the API (default https://api.kontist.com), like --base-url
  KONTIST_PROFILE         the profile, like --profile (default "default")
  KONTIST_CLIENT_ID, KONTIST_CLIENT_SECRET   the OAuth2 client, for login
  KONTIST_USERNAME, KONTIST_PASSWORD         the credentials, for login without prompts
  KONTIST_PKCS11_MODULE, KONTIST_PKCS11_TOKEN, KONTIST_PKCS11_PIN   a PKCS#11 device key
  KONTIST_AUTH_CONFIG_DIR the config folder (default: $XDG_CONFIG_HOME/kontist-auth, ~/.config/kontist-auth)
  BROWSER                 the browser login --browser opens
`;

/**
 * The `kontist-auth` command line. Each action runs with a {@link Context} made from the global options
 * (`--json`, `--base-url`, `--profile`, accepted before or after the command).
 */
export function createProgram(): Command {
  const program = new Command("kontist-auth")
    .description("Log in to Kontist, bind this device and confirm tokens from a terminal.")
    .addOption(new Option("--json", "print results as JSON on stdout (prompts and progress go to stderr)"))
    .addOption(new Option("--base-url <url>", "the API's base URL (env KONTIST_BASE_URL)"))
    .addOption(new Option("--profile <name>", "which saved account to use (env KONTIST_PROFILE)"))
    .addHelpText("after", exitCodeHelp)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  const action =
    <A extends unknown[]>(run: (context: Context, ...args: A) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const context = new Context(command.optsWithGlobals<GlobalOptions>());
      try {
        await run(context, ...(args.slice(0, -1) as A));
      } finally {
        await context.close();
      }
    };

  program
    .command("login")
    .description("log in with a password (hidden prompt, KONTIST_PASSWORD or stdin), or --browser")
    .option("--username <email>", "the user's e-mail (env KONTIST_USERNAME; asked when missing)")
    .option("--browser", "log in in your browser: authorization code + PKCE through a loopback redirect")
    .option("--client-id <id>", "your OAuth2 client (env KONTIST_CLIENT_ID)")
    .option("--client-secret <secret>", "its secret, for a confidential client (env KONTIST_CLIENT_SECRET)")
    .option("--scopes <scopes>", 'the scopes to ask for (default "offline users accounts subscriptions")')
    .action(action((context, options: Parameters<typeof login>[1]) => login(context, options)));

  const device = program.command("device").description("bind, list, remove and approve devices");
  device
    .command("bind")
    .description(
      "bind this machine as a device: binding request, e-mail confirmation, SMS code, then confirm",
    )
    .addOption(
      new Option(
        "--signer <kind>",
        "where the device key lives (default: keychain on a desktop, else software)",
      ).choices(["keychain", "pkcs11", "software"]),
    )
    .option("--name <name>", "the device's name (default: kontist-auth on <hostname>)")
    .option("--pkcs11-module <path>", "the PKCS#11 library (env KONTIST_PKCS11_MODULE)")
    .option(
      "--pkcs11-token <label>",
      "the token's label (env KONTIST_PKCS11_TOKEN); PIN from KONTIST_PKCS11_PIN or asked",
    )
    .action(action((context, options: Parameters<typeof bindDevice>[1]) => bindDevice(context, options)));
  device
    .command("list")
    .description("list the user's bound devices (* marks this profile's)")
    .action(action((context) => listDevices(context)));
  device
    .command("remove")
    .description("unbind a device; this profile's key is deleted when it is this profile's device")
    .argument("<id>", "the device id")
    .action(action((context, id: string) => removeDevice(context, id)));
  device
    .command("approve")
    .description("answer another device's binding request from this bound device")
    .argument("<request-id>", "the binding request's id")
    .option("--reject", "reject it instead")
    .action(
      action((context, id: string, options: { reject?: boolean }) =>
        approveBindingRequest(context, id, options),
      ),
    );

  program
    .command("confirm")
    .description("confirm the token (MFA): with this profile's device, or a push approved on the phone")
    .option("--device [id]", "sign a device challenge with this profile's bound device")
    .option("--push", "wait for the approval on your phone (Ctrl-C cancels)")
    .action(action((context, options: Parameters<typeof confirm>[1]) => confirm(context, options)));

  const token = program.command("token").description("show or refresh the profile's token");
  token
    .command("show")
    .description("user, scopes, expiry, confirmed; the token itself only with --reveal")
    .option("--reveal", "also print the access token (anyone who sees it can act as you until it expires)")
    .action(action((context, options: { reveal?: boolean }) => showToken(context, options)));
  token
    .command("refresh")
    .description("renew the token now with the refresh token")
    .action(action((context) => refreshToken(context)));

  program
    .command("graphql")
    .description("run a GraphQL query or mutation with the profile's token; prints its data as JSON")
    .argument("<query>", "the GraphQL document")
    .option("--variables <json>", "the variables, a JSON object")
    .action(
      action((context, query: string, options: { variables?: string }) => graphql(context, query, options)),
    );

  program
    .command("subscribe")
    .description("run a GraphQL subscription; prints each event's data as a JSON line until Ctrl-C")
    .argument("<subscription>", 'the subscription, e.g. "subscription { newTransaction { id amount name } }"')
    .option("--variables <json>", "the variables, a JSON object")
    .action(
      action((context, query: string, options: { variables?: string }) => subscribe(context, query, options)),
    );

  program
    .command("logout")
    .description("delete the profile's token (--forget: also the profile and its device key)")
    .option("--forget", "also delete the profile and this device's key")
    .action(action((context, options: { forget?: boolean }) => logout(context, options)));

  program
    .command("sandbox")
    .description("start the local Kontist sandbox (with its phone page) until Ctrl-C")
    .option("--port <port>", "the port (default 4010; 0 for a free one)")
    .action(action((context, options: { port?: string }) => runSandbox(context, options)));

  program
    .command("demo")
    .description("run the whole device-binding flow against an embedded sandbox, step by step")
    .action(
      action(async (context) => {
        const lines: string[] = [];
        const print = context.terminal.json
          ? (line: string) => lines.push(line)
          : (line: string) => context.terminal.result(undefined, [line]);
        const { deviceId, refreshed } = await runDemo({ print });
        if (context.terminal.json) {
          context.terminal.result({ deviceId, confirmed: refreshed.confirmed, steps: lines }, []);
        }
      }),
    );

  return program;
}

/**
 * Runs the command line `argv` (without `node` and the script) and returns the exit code. Errors are
 * printed as one line on stderr — `kontist-auth: CODE: message`, or `{"error":{"code","message"}}` with
 * `--json` — never a stack trace or a secret.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode === 0) return exitCodes.ok;
      // No command: the help went out already, as the answer to a wrong command line.
      if (error.code === "commander.help") return exitCodes.usage;
      const message = error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
      const usage = new CliError("USAGE", message, exitCodes.usage);
      return printFailure(argv, usage);
    }
    return printFailure(argv, error);
  }
}

function printFailure(argv: readonly string[], error: unknown): number {
  const failure = describeFailure(error);
  const json = argv.includes("--json");
  process.stderr.write(
    json
      ? `${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`
      : `kontist-auth: ${failure.code}: ${failure.message}\n`,
  );
  return failure.exitCode;
}
