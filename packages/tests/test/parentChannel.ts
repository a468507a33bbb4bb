// The child's side of TestProcess: JSON lines to the parent on stdout, "go" lines from it on stdin.

/** Tells the parent test `message`, one JSON object per stdout line. */
export function sendToParent(message: { type: string }): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Resolves on the next line the parent writes to stdin (its "go"). */
export function nextInputLine(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once("data", () => resolve());
  });
}

/** Ends the process after `ms` whatever happens: a child must never outlive a test that died. */
export function exitAfter(ms: number): void {
  setTimeout(() => process.exit(3), ms).unref();
}
