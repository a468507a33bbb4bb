import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

// A real Node child process for cross-process tests: it writes JSON lines (`{ "type": …, … }`) on stdout
// and may wait for a "go" line on stdin. Every wait is bounded.

const testsPackage = fileURLToPath(new URL("..", import.meta.url));

/** Node arguments that run a TypeScript fixture from its source, resolving workspace packages to sources. */
export function typeScriptFixture(path: string): string[] {
  return ["--conditions=@kontist-auth/source", "--import", "tsx", path];
}

/**
 * A child Node process a test drives: its JSON-line messages can be awaited by type (`next`), it can be
 * told to start (`go`), signalled, and killed. The child side is `parentChannel.ts`.
 */
export class TestProcess<Message extends { type: string }> {
  readonly #child: ChildProcess;
  readonly #messages: Message[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #name: string;
  #stderr = "";
  #exited = false;

  /** Starts `node <nodeArgs…>` in the tests package; `name` labels it in error messages. */
  constructor(name: string, nodeArgs: readonly string[]) {
    this.#name = name;
    this.#child = spawn(process.execPath, [...nodeArgs], {
      cwd: testsPackage,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    let pending = "";
    this.#child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
        const line = pending.slice(0, end).trim();
        pending = pending.slice(end + 1);
        if (line.startsWith("{")) this.#messages.push(JSON.parse(line) as Message);
      }
      this.#notify();
    });
    this.#child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-8_000);
    });
    // "close", not "exit": a process's last lines can still be in its stdout pipe when "exit" fires, and a
    // message it printed just before exiting must not be missed.
    this.#child.on("close", () => {
      this.#exited = true;
      this.#notify();
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Resolves with the first message of `type`; rejects when the process exits first or `timeoutMs` passes. */
  async next<Type extends Message["type"]>(
    type: Type,
    timeoutMs: number,
  ): Promise<Extract<Message, { type: Type }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.#messages.find((message) => message.type === type);
      if (found) return found as Extract<Message, { type: Type }>;
      const label = `${this.#name} ${this.pid}`;
      if (this.#exited) throw new Error(`${label} exited before "${type}":\n${this.#stderr}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${label} sent no "${type}" in ${timeoutMs} ms:\n${this.#stderr}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, remaining);
        this.#waiters.add(done);
      });
    }
  }

  /** Whether a message of `type` has arrived. */
  has(type: Message["type"]): boolean {
    return this.#messages.some((message) => message.type === type);
  }

  /** Tells the process to start (a "go" line on its stdin). */
  go(): void {
    this.#child.stdin?.write("go\n");
  }

  /** Sends `signal` to this process only (by its pid), without waiting. */
  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** Sends `signal` (SIGKILL by default) if the process still runs, and resolves once it has exited. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.#exited) return;
    const closed = once(this.#child, "close");
    this.#child.kill(signal);
    await closed;
  }

  #notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}

/**
 * Starts `count` processes made by `create` and waits until each has sent "ready"; kills them all if one
 * does not within `timeoutMs`.
 *
 * @throws the first process's failure to get ready (its exit or the timeout, with its stderr).
 */
export async function startReadyProcesses<
  Process extends { next(type: "ready", timeoutMs: number): Promise<unknown>; kill(): Promise<void> },
>(count: number, create: () => Process, timeoutMs: number): Promise<Process[]> {
  const processes = Array.from({ length: count }, create);
  try {
    await Promise.all(processes.map((process) => process.next("ready", timeoutMs)));
  } catch (error) {
    await Promise.all(processes.map((process) => process.kill()));
    throw error;
  }
  return processes;
}
