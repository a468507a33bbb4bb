import { createInterface, type Interface } from "node:readline";
import { isCancel, password, text } from "@clack/prompts";
import ora from "ora";
import { CliError, cancelled, exitCodes } from "../errors";

/** The streams a {@link Terminal} talks through; the process's own by default. */
export interface TerminalStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A running spinner, or its plain-text stand-in when the terminal is not interactive. */
export interface Progress {
  /** Ends it with a success line. */
  done(message: string): void;
  /** Ends it with a failure or cancellation line. */
  fail(message: string): void;
}

/**
 * Everything the CLI says and asks. Results go to stdout (as JSON with `--json`, lines otherwise); prompts,
 * spinners and notes go to stderr, so `kontist-auth token show --json | jq` reads results only. When stdin
 * is not a terminal, prompts read lines from it instead (a script pipes the password and codes in).
 */
export class Terminal {
  readonly #streams: TerminalStreams;
  #lines: AsyncIterator<string> | undefined;
  #reader: Interface | undefined;

  /**
   * @param json - `--json`: results as one JSON document on stdout, no decoration.
   * @param streams - where to read and write; the process's streams by default.
   */
  constructor(
    readonly json: boolean,
    streams: TerminalStreams = process,
  ) {
    this.#streams = streams;
  }

  /** Whether a person is at the keyboard: stdin and stderr are terminals. */
  get interactive(): boolean {
    return this.#streams.stdin.isTTY === true && this.#streams.stderr.isTTY === true;
  }

  /** Prints a command's result: `data` as JSON with `--json`, else the `lines` for people. */
  result(data: unknown, lines: readonly string[]): void {
    const out = this.json ? `${JSON.stringify(data)}\n` : lines.map((line) => `${line}\n`).join("");
    this.#streams.stdout.write(out);
  }

  /** Says something to the user on stderr (what happens, what to do next). Not a result. */
  note(line: string): void {
    this.#streams.stderr.write(`${line}\n`);
  }

  /**
   * Asks for a secret without echoing it; reads one line of stdin when not interactive.
   *
   * @throws {CliError} `CANCELLED` (exit 130) on Ctrl-C or Esc; `USAGE` when stdin ends first.
   */
  async secret(message: string): Promise<string> {
    if (!this.interactive) return this.#readLine(message);
    const answer = await password({
      message,
      output: this.#streams.stderr as NodeJS.WriteStream,
      input: this.#streams.stdin as NodeJS.ReadStream,
      validate: (value) => (value ? undefined : "Required."),
    });
    if (isCancel(answer)) throw cancelled("Cancelled at the prompt; nothing was sent.");
    return answer;
  }

  /**
   * Asks for a line of text (shown as typed); reads one line of stdin when not interactive.
   *
   * @throws {CliError} `CANCELLED` (exit 130) on Ctrl-C or Esc; `USAGE` when stdin ends first.
   */
  async ask(message: string): Promise<string> {
    if (!this.interactive) return this.#readLine(message);
    const answer = await text({
      message,
      output: this.#streams.stderr as NodeJS.WriteStream,
      input: this.#streams.stdin as NodeJS.ReadStream,
      validate: (value) => (value?.trim() ? undefined : "Required."),
    });
    if (isCancel(answer)) throw cancelled("Cancelled at the prompt.");
    return answer.trim();
  }

  /** Shows a spinner with `message` on stderr (a plain line when not interactive or with `--json`). */
  progress(message: string): Progress {
    if (!this.interactive || this.json) {
      if (!this.json) this.note(`… ${message}`);
      return { done: (line) => this.#plain(line), fail: (line) => this.note(line) };
    }
    // The terminal stays in its normal mode (no discarding of stdin, which needs raw mode): Ctrl-C is the
    // terminal's SIGINT, which the commands that wait turn into a clean cancellation.
    const indicator = ora({
      text: message,
      stream: this.#streams.stderr as NodeJS.WriteStream,
      discardStdin: false,
    }).start();
    return {
      done: (line) => indicator.succeed(line),
      fail: (line) => indicator.fail(line),
    };
  }

  /** Stops reading stdin, so that the process can end. */
  close(): void {
    this.#reader?.close();
  }

  #plain(line: string): void {
    if (!this.json) this.note(line);
  }

  async #readLine(what: string): Promise<string> {
    if (this.#lines === undefined) {
      this.#reader = createInterface({ input: this.#streams.stdin, terminal: false });
      this.#lines = this.#reader[Symbol.asyncIterator]();
    }
    const next = await this.#lines.next();
    if (next.done === true || next.value.trim() === "") {
      throw new CliError(
        "USAGE",
        `Expected "${what}" on standard input (not a terminal), found none.`,
        exitCodes.usage,
      );
    }
    return next.value.trim();
  }
}
