/**
 * Whether a process with this id runs on this machine (`kill(pid, 0)`: no signal is sent). A process of
 * another user counts as alive (`EPERM`). A reused id makes a dead holder look alive; lock expiry covers
 * that case.
 *
 * @example
 * import { hostname } from "node:os";
 *
 * const holder = { pid: 12345, host: "my-laptop" }; // what a lock file says of its holder
 * if (holder.host === hostname() && !isProcessAlive(holder.pid)) console.log("The holder is gone: take over.");
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
