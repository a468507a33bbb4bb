import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A program running in a real pseudo-terminal, as a user at a terminal runs it: a detached tmux session
 * on a server of its own (its own socket), into which the test types keys and whose screen it reads.
 * The program runs under bash, which writes its exit status to a file when it ends (tmux does not
 * always record a dead pane's status), and the pane stays, so its last screen can be read.
 */
export class TmuxTerminal {
  readonly #socket: string;
  readonly #dir: string;

  private constructor(socket: string, dir: string) {
    this.#socket = socket;
    this.#dir = dir;
  }

  /**
   * Starts `argv` in a new 160×50 terminal with `env` as its whole environment (plus `TERM`).
   *
   * @throws when tmux is missing or cannot start (a test that needs it fails, it never skips).
   */
  static async start(argv: readonly string[], env: Record<string, string>): Promise<TmuxTerminal> {
    const dir = await mkdtemp(join(tmpdir(), "kontist-tmux-"));
    const terminal = new TmuxTerminal(`kontist-cli-${randomBytes(6).toString("hex")}`, dir);
    const status = join(dir, "status");
    const script = `"$@"; echo $? > ${shellQuote(`${status}.tmp`)}; mv ${shellQuote(`${status}.tmp`)} ${shellQuote(status)}`;
    const command = ["bash", "-c", script, "bash", ...argv].map(shellQuote).join(" ");
    await terminal.#tmux(
      ["-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50", "-s", "cli", command],
      { ...env, TERM: "xterm-256color" },
    );
    await terminal.#tmux(["set-option", "-t", "cli", "remain-on-exit", "on"]);
    return terminal;
  }

  /** Types `text` literally (no key names). */
  async type(text: string): Promise<void> {
    await this.#tmux(["send-keys", "-t", "cli", "-l", text]);
  }

  /** Presses keys by tmux name: `Enter`, `C-c`, `Escape`, … */
  async press(...keys: string[]): Promise<void> {
    await this.#tmux(["send-keys", "-t", "cli", ...keys]);
  }

  /** What the terminal shows now, its scrollback included, lines joined. */
  async screen(): Promise<string> {
    const { stdout } = await this.#tmux(["capture-pane", "-p", "-J", "-S", "-500", "-t", "cli"]);
    return stdout;
  }

  /**
   * Waits until the screen matches `pattern` and returns the screen.
   *
   * @throws an `Error` with the screen when it does not within `timeout` ms.
   */
  async waitFor(pattern: RegExp | string, timeout = 15_000): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const screen = await this.screen();
      if (typeof pattern === "string" ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) {
        throw new Error(`The terminal did not show ${String(pattern)} within ${timeout} ms:\n${screen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Waits until the program ends and returns its exit status.
   *
   * @throws an `Error` with the screen when it is still running after `timeout` ms.
   */
  async exitCode(timeout = 15_000): Promise<number> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const status = await readFile(join(this.#dir, "status"), "utf8").catch(() => undefined);
      if (status !== undefined) return Number(status.trim());
      if (Date.now() > deadline) {
        throw new Error(`The program still runs after ${timeout} ms:\n${await this.screen()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends the terminal and its tmux server. */
  async close(): Promise<void> {
    await this.#tmux(["kill-server"]).catch(() => {});
    await rm(this.#dir, { recursive: true, force: true });
  }

  #tmux(args: readonly string[], env?: Record<string, string>) {
    return run("tmux", ["-L", this.#socket, ...args], env === undefined ? {} : { env });
  }
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
