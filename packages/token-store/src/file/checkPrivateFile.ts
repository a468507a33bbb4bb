import type { Stats } from "node:fs";
import { TokenStoreError } from "../errors/TokenStoreError";

/**
 * Checks that an existing token file is private to this user: a regular file (not a symbolic link,
 * which a write would replace, and which could point anywhere), owned by this user, with no permission
 * for group or others (mode `0600` or tighter). Skipped on Windows, which has no such mode bits.
 *
 * @throws {TokenStoreError} `TOKEN_STORE_INSECURE` when it is not, saying how to fix it;
 *   `TOKEN_STORE_ERROR` when the path is not a file at all.
 * @example
 * checkPrivateFile(await lstat(path), path);
 */
export function checkPrivateFile(stats: Stats, path: string): void {
  if (stats.isSymbolicLink()) {
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      `The token file ${path} is a symbolic link; give fileStore the path of a regular file.`,
    );
  }
  if (!stats.isFile()) {
    throw new TokenStoreError("TOKEN_STORE_ERROR", `The token file ${path} is not a regular file.`);
  }
  if (process.platform === "win32") return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      `The token file ${path} belongs to another user (uid ${stats.uid}); a token file must be the user's own.`,
    );
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      `The token file ${path} has mode ${mode.toString(8).padStart(4, "0")}: others may read or change it. ` +
        `Run \`chmod 600 ${path}\` (and consider the tokens in it exposed: log in again).`,
    );
  }
}
