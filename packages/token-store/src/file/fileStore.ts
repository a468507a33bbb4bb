import { createHash } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { lstat, mkdir, open, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isTokenStoreError, lockLostError, TokenStoreError } from "../errors";
import { resolveLockOptions } from "../store/resolveLockOptions";
import { checkedStoredToken, checkKey } from "../store/storedToken";
import type { LockingTokenStore, StoredToken, TokenStoreLock } from "../store/TokenStore";
import { checkPrivateDirectory } from "./checkPrivateDirectory";
import { checkPrivateFile } from "./checkPrivateFile";
import { type HeldLockFile, LockFile } from "./LockFile";
import { removeAbandonedTempFiles } from "./tempFiles";
import { checkedEncryptionKey } from "./tokenFileEncryption";
import { parseTokenFile, serializeTokenFile, type TokenMap } from "./tokenFileFormat";
import { writeFileAtomically } from "./writeFileAtomically";

/** Options of {@link fileStore}. */
export interface FileStoreOptions {
  /**
   * A 32-byte key to encrypt the file with (AES-256-GCM, a fresh random 12-byte IV per write). Keep it
   * elsewhere than the file, e.g. in the OS keychain. Default: a plain JSON file, protected by its mode
   * only. A key for a plain file, or none for an encrypted one, is a `TOKEN_STORE_DECRYPTION_FAILED`.
   */
  encryptionKey?: Uint8Array | undefined;
  /**
   * Accept a directory that others may write to: group- or world-writable (sticky or not, like `/tmp`),
   * or owned by another user than this one or root. Default `false`: such a directory is refused with
   * `TOKEN_STORE_INSECURE`, since whoever can write in it can plant a lock file that blocks every renewal,
   * a token file of their own before the first write, or (without the sticky bit) replace and remove the
   * store's files. The files themselves are still checked (yours, `0600`, no symbolic links), so with this
   * option others can make the store fail, but not read or replace its tokens unnoticed.
   */
  allowSharedDirectory?: boolean | undefined;
}

/** The store {@link fileStore} returns: a {@link LockingTokenStore} and the absolute path of its file. */
export interface FileTokenStore extends LockingTokenStore {
  /** The token file, as an absolute path. */
  readonly path: string;
}

/** How long the write lock (around each read-modify-write) may be held: a read and an atomic write. */
const writeLockTtlMs = 10_000;
/** How long a write waits for the write lock. */
const writeLockTimeoutMs = 30_000;

/**
 * A token store in one file, for CLIs and single-host servers: every key of the store lives in that file
 * (a JSON map), and every process on the machine that opens the same path shares it, with a lock per key
 * for refreshes. Node only: import it from `@kontist-auth/token-store/file`.
 *
 * - Private: at open (the first call) the directory is created with mode `0700` if missing, and the file
 *   with `0600`; an existing file that others may read or write, owned by another user, or a symbolic link
 *   is refused (`TOKEN_STORE_INSECURE`) rather than silently fixed, and so is every lock file. A directory
 *   others may write to (group- or world-writable, sticky `/tmp` included) or owned by another user is
 *   refused too, unless `allowSharedDirectory`. Writes never widen the mode.
 * - Atomic: each write goes to a temporary file in the same directory, is fsynced, renamed onto the file,
 *   and the directory fsynced, so a crash at any instant leaves the old tokens or the new ones.
 * - Shared: writes (read-modify-write of the map) happen under a lock file `<path>.lock`; `lock(key)`
 *   takes `<path>.<sha-256 of key>.lock`. A lock file is created exclusively and holds its holder's pid,
 *   host and expiry; a holder that died (pid gone) or expired is taken over (see `LockFile`). Writes
 *   through a held lock (`lock.set`, `lock.delete`) check, under the write lock, that the lock file still
 *   holds this holding and has not expired; a takeover of a key's lock happens under the write lock too,
 *   so no other holder can take the lock between that check and the write.
 * - Never overwrites what it cannot read: a corrupt or foreign file is a `TOKEN_STORE_CORRUPT`, left
 *   as it is.
 *
 * Reads take no lock (a rename is atomic). Every failure is a `TokenStoreError` naming the file (never a
 * token or the key); I/O errors are `TOKEN_STORE_ERROR` with the system error as `cause`.
 *
 * @param path - the token file, e.g. `~/.config/my-app/tokens.json` (resolved against the working
 *   directory). It must be on a local file system with hard links (any Linux, macOS or Windows disk).
 * @throws {TypeError} when `path` is empty, `encryptionKey` is not 32 bytes, or `allowSharedDirectory` is
 *   not a boolean.
 *
 * @example
 * import { homedir } from "node:os";
 * import { join } from "node:path";
 * import { Client } from "@kontist-auth/client";
 * import { fileStore } from "@kontist-auth/token-store/file";
 *
 * const tokenStore = fileStore(join(homedir(), ".config/my-app/tokens.json"));
 * const client = new Client({ clientId: "my-client", clientSecret: process.env.KONTIST_CLIENT_SECRET, tokenStore });
 */
export function fileStore(path: string, options: FileStoreOptions = {}): FileTokenStore {
  if (typeof path !== "string" || path === "") {
    throw new TypeError("fileStore: path must be a non-empty string.");
  }
  const file = resolve(path);
  const encryptionKey =
    options.encryptionKey === undefined ? undefined : checkedEncryptionKey(options.encryptionKey);
  const { allowSharedDirectory = false } = options;
  if (typeof allowSharedDirectory !== "boolean") {
    throw new TypeError("fileStore: allowSharedDirectory must be a boolean.");
  }
  const writeLock = new LockFile(`${file}.lock`);
  let opened: Promise<void> | undefined;
  let writes: Promise<unknown> = Promise.resolve();

  /** Runs `run`, turning any error that is not already a TokenStoreError into a `TOKEN_STORE_ERROR`. */
  const io = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isTokenStoreError(error)) throw error;
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      throw new TokenStoreError(
        "TOKEN_STORE_ERROR",
        `Could not ${what} the token file ${file}${code ? ` (${code})` : ""}.`,
        { cause: error },
      );
    }
  };

  /** One read-modify-write at a time in this process (then the lock file, across processes). */
  const withWriteLock = <T>(run: () => Promise<T>): Promise<T> => {
    const result = writes.then(async () => {
      const lock = await writeLock.acquire({ ttlMs: writeLockTtlMs, timeoutMs: writeLockTimeoutMs });
      try {
        return await run();
      } finally {
        // Should the release fail, the lock lapses after its TTL; the write itself is done.
        await lock.release().catch(() => {});
      }
    });
    writes = result.catch(() => {});
    return result;
  };

  const openFile = async (): Promise<void> => {
    const directory = dirname(file);
    await io("create the directory of", () => mkdir(directory, { recursive: true, mode: 0o700 }));
    await io("open the directory of", async () =>
      checkPrivateDirectory(await stat(directory), directory, allowSharedDirectory),
    );
    await removeAbandonedTempFiles(file);
    await io("open", async () => {
      const existing = await lstatIfExists(file);
      if (existing !== undefined) return checkPrivateFile(existing, file);
      await withWriteLock(async () => {
        const created = await lstatIfExists(file);
        if (created !== undefined) return checkPrivateFile(created, file);
        await writeFileAtomically(file, serializeTokenFile(new Map(), encryptionKey), 0o600);
      });
    });
  };

  /** The file's tokens (none when it was removed since), and the mode to write it back with. */
  const read = async (): Promise<{ tokens: TokenMap; mode: number }> => {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { tokens: new Map(), mode: 0o600 };
      if (code === "ELOOP") checkPrivateFile(await lstat(file), file);
      throw error;
    }
    try {
      const stats = await handle.stat();
      checkPrivateFile(stats, file);
      return {
        tokens: parseTokenFile(await handle.readFile("utf8"), encryptionKey, file),
        mode: stats.mode & 0o600,
      };
    } finally {
      await handle.close();
    }
  };

  /**
   * A read-modify-write of the map under the write lock; with `heldLock`, only while that key lock is
   * still this holder's (checked under the write lock, which every takeover of a key lock waits for).
   */
  const update = async (
    what: string,
    change: (tokens: TokenMap) => boolean,
    heldLock?: HeldLockFile,
  ): Promise<void> => {
    await ensureOpen();
    await io(what, () =>
      withWriteLock(async () => {
        if (heldLock !== undefined && !(await heldLock.isHeld())) throw lockLostError();
        const { tokens, mode } = await read();
        if (!change(tokens)) return;
        await writeFileAtomically(file, serializeTokenFile(tokens, encryptionKey), mode);
      }),
    );
  };

  const ensureOpen = (): Promise<void> => {
    opened ??= openFile().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };

  return {
    path: file,
    async get(key): Promise<StoredToken | undefined> {
      checkKey(key);
      await ensureOpen();
      const { tokens } = await io("read", read);
      return tokens.get(key);
    },
    async set(key, token) {
      const copy = checkedStoredToken(key, token);
      await update("write", (tokens) => {
        tokens.set(key, copy);
        return true;
      });
    },
    async delete(key) {
      checkKey(key);
      await update("write", (tokens) => tokens.delete(key));
    },
    async lock(key, lockOptions): Promise<TokenStoreLock> {
      checkKey(key);
      const resolved = resolveLockOptions(lockOptions);
      await ensureOpen();
      // A takeover waits for the write lock: a lapsed holder's write that already passed its check
      // lands before the next holder reads the store, and one that did not is refused.
      const lockFile = new LockFile(keyLockPath(file, key), { takeOver: withWriteLock });
      const held = await io("lock", () => lockFile.acquire(resolved));
      return {
        release: () => io("unlock", () => held.release()),
        async set(token) {
          const copy = checkedStoredToken(key, token);
          await update(
            "write",
            (tokens) => {
              tokens.set(key, copy);
              return true;
            },
            held,
          );
        },
        async delete() {
          await update("write", (tokens) => tokens.delete(key), held);
        },
      };
    },
  };
}

/** The lock file of `key`: named by a hash, so any key makes a safe file name and none shows in a listing. */
function keyLockPath(file: string, key: string): string {
  return `${file}.${createHash("sha256").update(key).digest("hex").slice(0, 32)}.lock`;
}

async function lstatIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
