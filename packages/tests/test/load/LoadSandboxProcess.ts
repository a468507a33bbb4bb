import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { typeScriptFixture } from "../TestProcess";
import type { LoadSandboxMessage, LoadSandboxSettings, SandboxMemory } from "./loadMessages";

const testsPackage = fileURLToPath(new URL("../..", import.meta.url));
const fixture = fileURLToPath(new URL("../fixtures/loadSandbox.ts", import.meta.url));

type Reply = (memory: SandboxMemory) => void;

/**
 * The sandbox of a load run in a child process of its own (`test/fixtures/loadSandbox.ts`, with
 * `--expose-gc`): its URL, and its memory, connections and state on request. The parent opens no
 * connection to it (a reset is asked for on stdin too), so its connections are the flows'. Every wait is
 * bounded.
 */
export class LoadSandboxProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #replies: Map<number, Reply>;
  readonly #stderr: () => string;
  #nextId = 0;

  private constructor(child: ChildProcess, url: string, replies: Map<number, Reply>, stderr: () => string) {
    this.#child = child;
    this.url = url;
    this.#replies = replies;
    this.#stderr = stderr;
  }

  /** Starts the child and resolves once its sandbox listens (within `timeoutMs`). */
  static async start(settings: LoadSandboxSettings, timeoutMs = 20_000): Promise<LoadSandboxProcess> {
    const child = spawn(
      process.execPath,
      ["--expose-gc", ...typeScriptFixture(fixture), JSON.stringify(settings)],
      { cwd: testsPackage, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } },
    );
    const replies = new Map<number, Reply>();
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8_000);
    });
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the load sandbox did not start:\n${stderr}`)),
        timeoutMs,
      );
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the load sandbox exited (${code}):\n${stderr}`));
      });
      let pending = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        pending += chunk.toString();
        for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
          const line = pending.slice(0, end).trim();
          pending = pending.slice(end + 1);
          if (!line.startsWith("{")) continue;
          const message = JSON.parse(line) as LoadSandboxMessage;
          if (message.type === "ready") {
            clearTimeout(timer);
            resolve(message.url);
          } else {
            const { type: _type, id, ...memory } = message;
            replies.get(id)?.(memory);
            replies.delete(id);
          }
        }
      });
    });
    try {
      return new LoadSandboxProcess(child, await ready, replies, () => stderr);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  /** The child's process id. */
  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /**
   * The sandbox process's memory, open connections and state now; with `gc`, after a full garbage
   * collection (what it retains). With `resetPeak`, its peak starts over after this reading; with
   * `resetState`, the sandbox drops its state back to the seeds first.
   */
  memory(
    { gc = true, resetPeak = false, resetState = false } = {},
    timeoutMs = 10_000,
  ): Promise<SandboxMemory> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#replies.delete(id);
        reject(
          new Error(`the load sandbox did not report its memory in ${timeoutMs} ms:\n${this.#stderr()}`),
        );
      }, timeoutMs);
      this.#replies.set(id, (memory) => {
        clearTimeout(timer);
        resolve(memory);
      });
      this.#child.stdin?.write(`${JSON.stringify({ type: "measure", id, gc, resetPeak, resetState })}\n`);
    });
  }

  /** Ends the child (its stdin closes, it closes the sandbox); killed if it has not exited in 5 s. */
  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, "exit");
    this.#child.stdin?.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
