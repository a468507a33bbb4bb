import type { Stats } from "node:fs";
import { TokenStoreError } from "../errors";

/** What a checked file is to the store, for messages: the token file, or one of its lock files. */
export type PrivateFileKind = "token file" | "lock file";

/**
 * Checks that an existing token file (or lock file) is private to this user: a regular file (not a
 * symbolic link, which a write would replace, and which could point anywhere), owned by this user, with no
 * permission for group or others (mode `0600` or tighter). Skipped on Windows, which has no such mode
 * bits. Lock files get the same check as the token file: a lock file another user planted (or could
 * rewrite) with a far-future expiry would otherwise block every renewal.
 *
 * @param kind - what the file is, for the message (default `"token file"`).
 * @throws {TokenStoreError} `TOKEN_STORE_INSECURE` when it is not, saying how to fix it;
 *   `TOKEN_STORE_ERROR` when the path is not a file at all.
 * @example
 * import { lstat } from "node:fs/promises";
 *
 * const path = "/home/me/.config/my-app/tokens.json";
 * checkPrivateFile(await lstat(path), path);
 */
export function checkPrivateFile(stats: Stats, path: string, kind: PrivateFileKind = "token file"): void {
  const name = `The ${kind} ${path}`;
  if (stats.isSymbolicLink()) {
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      kind === "token file"
        ? `${name} is a symbolic link; give fileStore the path of a regular file.`
        : `${name} is a symbolic link; fileStore never makes one: someone else can write in its directory.`,
    );
  }
  if (!stats.isFile()) {
    throw new TokenStoreError("TOKEN_STORE_ERROR", `${name} is not a regular file.`);
  }
  if (process.platform === "win32") return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      `${name} belongs to another user (uid ${stats.uid}); a ${kind} must be the user's own.` +
        (kind === "lock file"
          ? " Someone else can write in its directory: keep the token file in a directory only you can write to."
          : ""),
    );
  }
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const octal = mode.toString(8).padStart(4, "0");
    throw new TokenStoreError(
      "TOKEN_STORE_INSECURE",
      kind === "token file"
        ? `${name} has mode ${octal}: others may read or change it. ` +
            `Run \`chmod 600 ${path}\` (and consider the tokens in it exposed: log in again).`
        : `${name} has mode ${octal}: others may change it, and fileStore never makes one so. ` +
            "Remove it once no process of yours uses the store.",
    );
  }
}
