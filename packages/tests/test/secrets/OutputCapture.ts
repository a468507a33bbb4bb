import { formatWithOptions, inspect } from "node:util";

// Everything a user or operator could see while a hygiene run goes on, by source: this process's console
// and stdout/stderr writes, sandbox logs, child processes' output, and every way an app could render an
// error, a token or a client (String, JSON.stringify, util.inspect, the cause chain).

const consoleMethods = ["log", "info", "warn", "error", "debug", "trace", "dir", "table"] as const;

/** How much text a source produced. */
export interface CaptureSize {
  source: string;
  lines: number;
  bytes: number;
}

const safely = (render: () => string | undefined): string => {
  try {
    return render() ?? "";
  } catch (error) {
    return `(could not render: ${error instanceof Error ? error.name : "unknown"})`;
  }
};

const inspectDeep = (value: unknown, showHidden: boolean) =>
  inspect(value, { depth: showHidden ? 8 : Number.POSITIVE_INFINITY, showHidden, getters: true });

/** The captured text of a run, by source. */
export class OutputCapture {
  readonly #chunks = new Map<string, string[]>();

  /** Adds `text` that `source` produced (a log line, a chunk of a child's stdout…). */
  add(source: string, text: string): void {
    const chunks = this.#chunks.get(source) ?? [];
    chunks.push(text.endsWith("\n") ? text : `${text}\n`);
    this.#chunks.set(source, chunks);
  }

  /**
   * Adds every rendering an app could print of `value`: `String`, `JSON.stringify`, `util.inspect` (deep,
   * and with hidden properties), and for an error its message, stack, and all of that again for each
   * error of its `cause` chain and of an `AggregateError`'s `errors`.
   */
  expose(source: string, value: unknown): void {
    const seen = new Set<unknown>();
    const render = (item: unknown) => {
      if (seen.has(item)) return;
      seen.add(item);
      this.add(
        source,
        safely(() => String(item)),
      );
      this.add(
        source,
        safely(() => JSON.stringify(item)),
      );
      this.add(
        source,
        safely(() => inspectDeep(item, false)),
      );
      this.add(
        source,
        safely(() => inspectDeep(item, true)),
      );
      if (item instanceof Error) {
        this.add(source, `${item.message}\n${item.stack ?? ""}`);
        if (item.cause !== undefined) render(item.cause);
        if (item instanceof AggregateError) for (const inner of item.errors) render(inner);
      }
    };
    render(value);
  }

  /**
   * Captures this process's `console.*` calls and `process.stdout` / `process.stderr` writes (and process
   * warnings) into `source` instead of printing them, until the returned function is called.
   */
  hookProcess(source: string): () => void {
    const restore: (() => void)[] = [];
    const target = console as unknown as Record<string, unknown>;
    for (const method of consoleMethods) {
      const original = target[method];
      target[method] = (...args: unknown[]) => this.add(`${source}: console.${method}`, formatConsole(args));
      restore.push(() => {
        target[method] = original;
      });
    }
    for (const stream of ["stdout", "stderr"] as const) {
      const original = process[stream].write;
      process[stream].write = ((chunk: unknown, ...rest: unknown[]) => {
        this.add(
          `${source}: ${stream}`,
          typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(),
        );
        const callback = rest.find((item) => typeof item === "function") as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof process.stdout.write;
      restore.push(() => {
        process[stream].write = original;
      });
    }
    const onWarning = (warning: Error) => this.expose(`${source}: warning`, warning);
    process.on("warning", onWarning);
    restore.push(() => process.off("warning", onWarning));
    return () => {
      for (const undo of restore.reverse()) undo();
    };
  }

  /** Each source's text. */
  entries(): { source: string; text: string }[] {
    return [...this.#chunks].map(([source, chunks]) => ({ source, text: chunks.join("") }));
  }

  /** Lines and bytes per source. */
  sizes(): CaptureSize[] {
    return this.entries().map(({ source, text }) => ({
      source,
      lines: text.split("\n").length - 1,
      bytes: Buffer.byteLength(text),
    }));
  }
}

function formatConsole(args: readonly unknown[]): string {
  return formatWithOptions({ colors: false, depth: Number.POSITIVE_INFINITY }, ...args);
}
