import { runDemo } from "./commands/demo";

const usage = `Usage: kontist-auth <command>

Commands:
  demo    Run the whole device-binding flow against an embedded sandbox and print each step.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case "demo":
      await runDemo();
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(usage);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${usage}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // SDK errors carry no secrets in their message; print the name, code and message only.
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    const code =
      typeof error === "object" && error !== null && "code" in error ? ` [${String(error.code)}]` : "";
    process.stderr.write(`${name}${code}: ${message}\n`);
    process.exitCode = 1;
  },
);
