import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const appRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * The CLI from its sources, as one `node` process (tsx's loader, not its CLI, which would put a parent
 * process of its own between the terminal and the program); workspace packages resolve to their sources.
 */
export function cliArgv(args: readonly string[]): string[] {
  return [
    process.execPath,
    "--import",
    pathToFileURL(join(appRoot, "node_modules/tsx/dist/loader.mjs")).href,
    "--conditions=@kontist-auth/source",
    join(appRoot, "src/bin.ts"),
    ...args,
  ];
}

/** A config folder of its own and the environment to run the CLI against `baseUrl` with it. */
export async function cliHome(
  baseUrl: string,
): Promise<{ env: Record<string, string>; dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "kontist-cli-home-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    KONTIST_AUTH_CONFIG_DIR: join(dir, "config"),
    KONTIST_BASE_URL: baseUrl,
    KONTIST_CLIENT_ID: "demo-client",
    KONTIST_CLIENT_SECRET: "demo-secret",
  };
  return { env, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** What a run of the CLI without a terminal printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A run of the CLI with pipes, whose stdin the test writes as the program goes. */
export interface RunningCli {
  /** Writes a line to the CLI's stdin. */
  writeLine(line: string): void;
  /** What it printed on stdout so far. */
  stdout(): string;
  /** Sends it a signal, as Ctrl-C (`SIGINT`) or a service manager (`SIGTERM`) does. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when it ended; never rejects. */
  done: Promise<CliRun>;
}

/** Starts the CLI with pipes (no terminal). */
export function startCli(args: readonly string[], env: Record<string, string>): RunningCli {
  const [command, ...rest] = cliArgv(args);
  let output = "";
  const child = execFile(command ?? "", rest, { env, timeout: 60_000 });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: output, stderr: errors }));
  });
  return {
    writeLine: (line) => child.stdin?.write(`${line}\n`),
    stdout: () => output,
    kill: (signal) => child.kill(signal),
    done,
  };
}

/** Runs the CLI with pipes (no terminal): `input` is its whole stdin. */
export function runCli(args: readonly string[], env: Record<string, string>, input = ""): Promise<CliRun> {
  const [command, ...rest] = cliArgv(args);
  return new Promise((resolve) => {
    const child = execFile(command ?? "", rest, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}
