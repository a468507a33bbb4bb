import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { sleep } from "@kontist-auth/protocol";

// A script of this app (`src/main.ts`, `src/login.ts`) run as a real Node process from its TypeScript
// source, the way `pnpm start` runs it, with a standard input the test can type at. Every wait is
// bounded; the full output is kept so tests can check that no token, PIN or code was ever printed.

const appFolder = fileURLToPath(new URL("..", import.meta.url));

export class ExampleProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #output = "";

  /** Starts `node <script>` in the app folder with `env` on top of this process's environment. */
  constructor(script: string, env: Record<string, string>) {
    this.#child = spawn(process.execPath, ["--conditions=@kontist-auth/source", "--import", "tsx", script], {
      cwd: appFolder,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "", ...env },
    });
    const collect = (chunk: Buffer) => {
      this.#output += chunk.toString();
    };
    this.#child.stdout?.on("data", collect);
    this.#child.stderr?.on("data", collect);
    this.#exited = once(this.#child, "exit").then(([code]) => code as number | null);
  }

  /** Everything the process wrote to stdout and stderr so far. */
  get output(): string {
    return this.#output;
  }

  /** The URL the server printed once it listened; rejects if it exits first or `timeoutMs` passes. */
  async url(timeoutMs: number): Promise<string> {
    const [, url] = await this.waitFor(/listening on (http:\/\/\S+)/, timeoutMs);
    return url ?? "";
  }

  /**
   * The first match of `pattern` in the output, once it shows up; rejects (with the output so far) if the
   * process exits first or `timeoutMs` passes.
   */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.#exited.then(() => {
      exited = true;
    });
    for (;;) {
      const found = pattern.exec(this.#output);
      if (found) return found;
      if (exited) throw new Error(`the process exited before printing ${pattern}:\n${this.#output}`);
      if (Date.now() > deadline)
        throw new Error(`the process did not print ${pattern} within ${timeoutMs} ms:\n${this.#output}`);
      await sleep(25);
    }
  }

  /** Types `text` at the process's standard input, as an operator does at a prompt. */
  write(text: string): void {
    this.#child.stdin?.write(text);
  }

  /** The exit code, once the process has exited; rejects after `timeoutMs`. */
  exitCode(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no exit within ${timeoutMs} ms:\n${this.#output}`)),
        timeoutMs,
      );
    });
    return Promise.race([this.#exited, timedOut]).finally(() => clearTimeout(timer));
  }

  /** Sends `signal` to this process (by its pid) if it still runs. */
  signal(signal: NodeJS.Signals): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal);
  }

  /** SIGKILLs the process if it still runs, and resolves once it has exited. */
  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.#exited;
  }
}
