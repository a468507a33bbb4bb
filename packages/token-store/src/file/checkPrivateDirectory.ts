import type { Stats } from "node:fs";
import { TokenStoreError } from "../errors";

/**
 * Checks that the token file's directory is one only this user can change: owned by this user (or root),
 * and writable by neither group nor others. Whoever can write in the directory can replace or remove the
 * token file and its lock files (even with the sticky bit, as in `/tmp`, plant a lock file before the
 * store makes one, or a token file before the first write): so a group- or world-writable directory,
 * sticky or not, is refused unless `allowSharedDirectory` says the risk is taken knowingly. Skipped on
 * Windows, which has no such mode bits.
 *
 * @param allowSharedDirectory - accept a directory others may write to (`FileStoreOptions.allowSharedDirectory`).
 * @throws {TokenStoreError} `TOKEN_STORE_INSECURE` when it is not private, saying how to fix it;
 *   `TOKEN_STORE_ERROR` when the path is not a directory.
 * @example
 * import { stat } from "node:fs/promises";
 * import { dirname } from "node:path";
 *
 * const file = "/home/me/.config/my-app/tokens.json";
 * checkPrivateDirectory(await stat(dirname(file)), dirname(file), false);
 */
export function checkPrivateDirectory(stats: Stats, path: string, allowSharedDirectory: boolean): void {
  if (!stats.isDirectory()) {
    throw new TokenStoreError(
      "TOKEN_STORE_ERROR",
      `The directory of the token file, ${path}, is not a directory.`,
    );
  }
  if (process.platform === "win32" || allowSharedDirectory) return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) {
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      `The directory of the token file, ${path}, belongs to another user (uid ${stats.uid}), who can replace ` +
        "the token file and its lock files. Keep the token file in a directory of your own (or pass " +
        "allowSharedDirectory: true to take that risk).",
    );
  }
  const mode = stats.mode & 0o7777;
  if ((mode & 0o022) !== 0) {
    const octal = mode.toString(8).padStart(4, "0");
    const who = mode & 0o002 ? "anyone" : "its group";
    const what =
      mode & 0o1000
        ? "plant files in it (a lock file that blocks every renewal, a token file of their own)"
        : "create, replace or remove files in it, the token file and its lock files included";
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      `The directory of the token file, ${path}, has mode ${octal}: ${who} may ${what}. ` +
        `Keep the token file in a directory of your own, or run \`chmod go-w ${path}\` ` +
        "(or pass allowSharedDirectory: true to take that risk).",
    );
  }
}
