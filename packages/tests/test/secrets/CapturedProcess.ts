import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { sleep } from "@kontist-auth/protocol";
import type { OutputCapture } from "./OutputCapture";
import type { SecretKind, SecretLedger } from "./SecretLedger";

// A real Node child process of the secret hygiene run, started from TypeScript sources the way
// `pnpm demo`, `pnpm sandbox` or `pnpm start` start it. All it writes to stdout and stderr goes to the
// capture; the secrets its clients send and receive come from the preloaded recorder on file
// descriptor 3 and go to the ledger. Every wait is bounded.

const recorder = fileURLToPath(new URL("../fixtures/secretRecorder.ts", import.meta.url));
/** The repository root: entry paths are relative to it. */
export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface CapturedProcessOptions {
  /** Labels the output in the capture, e.g. "demo". */
  name: string;
  /** The TypeScript entry and its arguments, relative to the repository root's `cwd`. */
  args: readonly string[];
  /** Working directory, relative to the repository root. */
  cwd: string;
  env?: Record<string, string>;
}

export class CapturedProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  readonly #name: string;
  #output = "";

  constructor(options: CapturedProcessOptions, capture: OutputCapture, ledger: SecretLedger) {
    this.#name = options.name;
    const nodeArgs = ["--conditions=@kontist-auth/source", "--import", "tsx", "--import", recorder];
    this.#child = spawn(process.execPath, [...nodeArgs, ...options.args], {
      cwd: `${repositoryRoot}${options.cwd}`,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "", ...options.env, SECRET_RECORDER_FD: "3" },
    });
    for (const stream of ["stdout", "stderr"] as const) {
      this.#child[stream]?.on("data", (chunk: Buffer) => {
        const text = chunk.toString();
        this.#output += text;
        capture.add(`${options.name}: ${stream}`, text);
      });
    }
    let pending = "";
    (this.#child.stdio[3] as NodeJS.ReadableStream | null)?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
        const { kind, value } = JSON.parse(pending.slice(0, end)) as { kind: SecretKind; value: string };
        pending = pending.slice(end + 1);
        ledger.add(kind, value);
      }
    });
    // "close": the process has exited and its pipes (stdout, stderr, the recorder) are drained.
    this.#exited = once(this.#child, "close").then(([code]) => code as number | null);
  }

  /** Everything written to stdout and stderr so far. */
  get output(): string {
    return this.#output;
  }

  /** The first match of `pattern` in the output; rejects if the process exits first or `timeoutMs` passes. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.#exited.then(() => {
      exited = true;
    });
    for (;;) {
      const found = pattern.exec(this.#output);
      if (found) return found;
      if (exited || Date.now() > deadline) {
        throw new Error(`${this.#name}: no ${pattern} ${exited ? "before it exited" : `in ${timeoutMs} ms`}`);
      }
      await sleep(20);
    }
  }

  /** The exit code once the process has exited; rejects after `timeoutMs`. */
  async exitCode(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.#name}: no exit in ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.#exited, timedOut]).finally(() => clearTimeout(timer));
  }

  /** Sends `signal` to this process (by its pid) if it still runs, and waits up to `timeoutMs` for its exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 5_000): Promise<number | null> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return this.#child.exitCode;
    this.#child.kill(signal);
    try {
      return await this.exitCode(timeoutMs);
    } catch {
      this.#child.kill("SIGKILL");
      return this.#exited;
    }
  }
}
