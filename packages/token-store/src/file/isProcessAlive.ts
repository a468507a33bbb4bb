/**
 * Whether a process with this id runs on this machine (`kill(pid, 0)`: no signal is sent). A process of
 * another user counts as alive (`EPERM`). A reused id makes a dead holder look alive; lock expiry covers
 * that case.
 *
 * @example
 * if (!isProcessAlive(holder.pid)) takeOver();
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
