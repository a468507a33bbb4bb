import { randomBytes } from "node:crypto";
import { readdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { isProcessAlive } from "./isProcessAlive";

/**
 * A fresh temporary path beside `target`, in the same directory (so a rename onto `target` is atomic):
 * `.<name>.<pid>.<16 hex>.tmp`. The pid lets {@link removeAbandonedTempFiles} tell a dead writer's
 * leftovers from a live writer's work in progress.
 *
 * @example
 * tempPathFor("/home/me/.config/app/tokens.json"); // "/home/me/.config/app/.tokens.json.4242.9f…e1.tmp"
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(8).toString("hex")}.tmp`);
}

/**
 * Removes the temporary files that writers of `target` (and of its lock files) left behind when they were
 * killed mid-write: those whose pid no longer runs. Best effort; never throws.
 *
 * @example
 * await removeAbandonedTempFiles("/home/me/.config/app/tokens.json");
 */
export async function removeAbandonedTempFiles(target: string): Promise<void> {
  const directory = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return;
  }
  const pattern = /\.(\d+)\.[0-9a-f]{16}\.tmp$/;
  await Promise.all(
    names.map(async (name) => {
      const pid = name.startsWith(prefix) ? pattern.exec(name)?.[1] : undefined;
      if (pid === undefined || isProcessAlive(Number(pid))) return;
      await unlink(join(directory, name)).catch(() => {});
    }),
  );
}
