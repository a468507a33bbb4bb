import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { tempPathFor } from "./tempFiles";

/**
 * Replaces `path` with `data` so that a crash at any instant leaves either the old file or the new one,
 * never a torn one: write a temporary file in the same directory (created exclusively with `mode`, set
 * exactly whatever the umask), fsync it, rename it onto `path` (atomic on POSIX and NTFS), then fsync the
 * directory so the rename itself survives a power loss. On failure the temporary file is removed and
 * `path` is untouched.
 *
 * @throws the file system's error (`ENOSPC`, `EACCES`, …).
 *
 * @example
 * await writeFileAtomically("/home/me/.config/app/tokens.json", JSON.stringify(document), 0o600);
 */
export async function writeFileAtomically(path: string, data: string, mode: number): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, "wx", mode);
  try {
    try {
      await handle.chmod(mode);
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** fsync a directory, where the platform can (not on Windows, where opening a directory fails). */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EINVAL" && code !== "EBADF") throw error;
  } finally {
    await handle?.close();
  }
}
