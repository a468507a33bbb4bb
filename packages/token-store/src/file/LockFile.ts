import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { link, lstat, open, rename, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { sleep } from "@kontist-auth/protocol";
import { lockTimeoutError } from "../errors";
import { checkPrivateFile } from "./checkPrivateFile";
import { isProcessAlive } from "./isProcessAlive";
import { tempPathFor } from "./tempFiles";

/** What a lock file holds: who holds it, and until when. */
export interface LockHolder {
  /** The holder's process id, on `host`. */
  pid: number;
  /** The holder's host name: a pid says something only on the same machine. */
  host: string;
  /** Random, per acquisition: tells this holding apart from any other, in the same process too. */
  owner: string;
  /** When the lock was taken, in ms since the epoch. */
  acquiredAt: number;
  /** When the lock lapses if it is not released, in ms since the epoch. */
  expiresAt: number;
}

/** A lock file held by this caller: see {@link LockFile.acquire}. */
export interface HeldLockFile {
  /** Removes the lock file if it still holds this holding; harmless twice, or after the lock lapsed. */
  release(): Promise<void>;
  /**
   * Whether the lock is still this holder's: the lock file holds this holding, and it has not expired.
   * Only as good as the moment it is read: a caller that acts on it must keep a takeover out meanwhile
   * (see {@link LockFileOptions.takeOver}).
   *
   * @throws {TokenStoreError} `TOKEN_STORE_INSECURE` when the lock file is not private (see `checkPrivateFile`).
   */
  isHeld(): Promise<boolean>;
}

/** Options of {@link LockFile}. */
export interface LockFileOptions {
  /**
   * Runs each takeover of an abandoned lock (the check that the lock file is unchanged, and its removal);
   * default: runs it as it is. `fileStore` runs takeovers of a key's lock under its write lock, the same
   * one its writes through that lock hold while they check {@link HeldLockFile.isHeld}: so a lock cannot
   * change hands between a holder's check and its write.
   */
  takeOver?: ((remove: () => Promise<void>) => Promise<void>) | undefined;
}

/** How long the guard (see {@link LockFile}) may be held: it covers a read and an unlink. */
const guardTtlMs = 5_000;

/**
 * An exclusive lock between processes on one machine, as a file: `path` exists while the lock is held and
 * holds a {@link LockHolder} as JSON.
 *
 * - Taking it is an exclusive create: the holder is written to a temporary file, which is then hard-linked
 *   to `path`; `link` fails with `EEXIST` when the lock exists, exactly like `open(O_CREAT | O_EXCL)`, but
 *   the lock file never exists without its content.
 * - A waiter polls (backing off from ~1 ms to every 15–30 ms, jittered) and takes over a lock whose holder is dead: it expired
 *   (`expiresAt` passed) or, on the same host, its pid no longer runs; an unreadable lock file counts as
 *   dead too. So a crashed holder delays the others by at most its TTL (usually far less: its pid is gone).
 * - Removing a lock file (a release, or a takeover) happens under a second lock file, the *guard*
 *   (`<path>.guard`, taken the same way), after checking the file still holds what was read: so two
 *   waiters taking over the same dead lock cannot remove each other's fresh one, and a holder whose lock
 *   lapsed and went to another cannot release the other's. The guard is held for a read and an unlink;
 *   a guard left by a process killed in that instant is taken over the same way (dead pid, or 5 s).
 *
 * - Private: every lock and guard file read must be a regular file of this user with no permission for
 *   group or others (the token file's rule, `checkPrivateFile`), else `TOKEN_STORE_INSECURE`. Another
 *   user who can write in the directory could otherwise plant a far-future lock and block every holder.
 *
 * A holder that outlives its TTL (stopped, or slower than promised) can lose the lock to a waiter; choose
 * the TTL accordingly, and check {@link HeldLockFile.isHeld} before acting on the lock.
 *
 * @example
 * import { readFile, writeFile } from "node:fs/promises";
 *
 * const path = "/home/me/.config/app/counter.txt";
 * const lock = await new LockFile(`${path}.lock`).acquire({ ttlMs: 10_000, timeoutMs: 30_000 });
 * try {
 *   const count = Number(await readFile(path, "utf8").catch(() => "0"));
 *   await writeFile(path, String(count + 1)); // no other holder reads or writes meanwhile
 * } finally {
 *   await lock.release();
 * }
 */
export class LockFile {
  /** The lock file. */
  readonly path: string;
  readonly #guard: string;
  readonly #takeOver: (remove: () => Promise<void>) => Promise<void>;

  constructor(path: string, options: LockFileOptions = {}) {
    this.path = path;
    this.#guard = `${path}.guard`;
    this.#takeOver = options.takeOver ?? ((remove) => remove());
  }

  /**
   * Resolves when this caller holds the lock, for at most `ttlMs`.
   *
   * @throws {TokenStoreError} `TOKEN_STORE_LOCK_TIMEOUT` after `timeoutMs`; `TOKEN_STORE_INSECURE` when
   *   the lock file (or its guard) is not private to this user.
   * @throws the file system's error, e.g. `EACCES` or `ENOENT` for a missing directory.
   */
  async acquire(options: { ttlMs: number; timeoutMs: number }): Promise<HeldLockFile> {
    const { ttlMs, timeoutMs } = options;
    const deadline = Date.now() + timeoutMs;
    const owner = randomBytes(16).toString("hex");
    for (let attempt = 0; ; attempt += 1) {
      if (await createExclusively(this.path, holderFor(owner, ttlMs))) {
        return { release: () => this.#release(owner), isHeld: () => this.#isHeldBy(owner) };
      }
      const content = await readPrivateIfExists(this.path);
      const holder = content === undefined ? undefined : parseHolder(content);
      if (content !== undefined && (holder === undefined || isAbandoned(holder))) {
        await this.#removeIfUnchanged(content, deadline, timeoutMs);
        continue;
      }
      const now = Date.now();
      if (now >= deadline) throw lockTimeoutError(timeoutMs);
      // Released meanwhile (no content): try again at once.
      if (holder === undefined) continue;
      // Back off from ~1 ms (a read-modify-write takes a few) to 15–30 ms (a refresh takes longer), jittered.
      const pollDelay = Math.min(30, 1 + 2 ** attempt) * (0.5 + Math.random() / 2);
      await sleep(Math.max(1, Math.min(pollDelay, deadline - now, holder.expiresAt - now)));
    }
  }

  /**
   * Reads who holds the lock, if anyone (an unreadable lock file gives `undefined` too).
   *
   * @throws {TokenStoreError} `TOKEN_STORE_INSECURE` when the lock file is not private to this user.
   */
  async holder(): Promise<LockHolder | undefined> {
    const content = await readPrivateIfExists(this.path);
    return content === undefined ? undefined : parseHolder(content);
  }

  async #isHeldBy(owner: string): Promise<boolean> {
    const holder = await this.holder();
    return holder?.owner === owner && holder.expiresAt > Date.now();
  }

  async #release(owner: string): Promise<void> {
    const guard = await this.#acquireGuard(Date.now() + guardTtlMs, guardTtlMs);
    try {
      const content = await readPrivateIfExists(this.path);
      // A lapsed lock may belong to another holder now: leave theirs alone.
      if (content !== undefined && parseHolder(content)?.owner === owner) await unlinkIfExists(this.path);
    } finally {
      await guard();
    }
  }

  /** Removes the lock file if it still holds `content` (the dead holder's lock that was read). */
  async #removeIfUnchanged(content: string, deadline: number, timeoutMs: number): Promise<void> {
    await this.#takeOver(async () => {
      const guard = await this.#acquireGuard(deadline, timeoutMs);
      try {
        if ((await readPrivateIfExists(this.path)) === content) await unlinkIfExists(this.path);
      } finally {
        await guard();
      }
    });
  }

  /** Takes the guard; resolves to its release. */
  async #acquireGuard(deadline: number, timeoutMs: number): Promise<() => Promise<void>> {
    const owner = randomBytes(16).toString("hex");
    for (;;) {
      if (await createExclusively(this.#guard, holderFor(owner, guardTtlMs))) {
        return async () => {
          if (parseHolder((await readPrivateIfExists(this.#guard)) ?? "")?.owner === owner) {
            await unlinkIfExists(this.#guard);
          }
        };
      }
      const content = await readPrivateIfExists(this.#guard);
      if (content === undefined) continue;
      const holder = parseHolder(content);
      if (holder === undefined || isAbandoned(holder)) {
        await moveAwayIfUnchanged(this.#guard, content);
        continue;
      }
      if (Date.now() >= deadline) throw lockTimeoutError(timeoutMs);
      await sleep(1 + Math.random() * 4);
    }
  }
}

function holderFor(owner: string, ttlMs: number): LockHolder {
  const now = Date.now();
  return { pid: process.pid, host: hostname(), owner, acquiredAt: now, expiresAt: now + ttlMs };
}

/** Whether the holder can no longer release its lock: it expired, or its process is gone. */
function isAbandoned(holder: LockHolder): boolean {
  return holder.expiresAt <= Date.now() || (holder.host === hostname() && !isProcessAlive(holder.pid));
}

function parseHolder(content: string): LockHolder | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockHolder> | null;
    if (
      typeof value?.pid === "number" &&
      typeof value.host === "string" &&
      typeof value.owner === "string" &&
      typeof value.acquiredAt === "number" &&
      typeof value.expiresAt === "number"
    ) {
      return value as LockHolder;
    }
  } catch {}
  return undefined;
}

/** Creates `path` holding `holder`, unless it exists: a fully written temporary file, hard-linked. */
async function createExclusively(path: string, holder: LockHolder): Promise<boolean> {
  const temp = tempPathFor(path);
  await writeFile(temp, JSON.stringify(holder), { mode: 0o600, flag: "wx" });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/**
 * Removes an abandoned guard if it still holds `content`: it is renamed aside first (atomic), checked,
 * and linked back if it turned out to be a fresh one.
 */
async function moveAwayIfUnchanged(path: string, content: string): Promise<void> {
  const aside = tempPathFor(path);
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    if ((await readPrivateIfExists(aside)) !== content) await link(aside, path).catch(() => {});
  } finally {
    await unlink(aside).catch(() => {});
  }
}

/**
 * The content of a lock or guard file, or `undefined` when there is none. Read without following a
 * symbolic link, and only once it proved private: a file another user planted (or could have written)
 * says nothing about who holds the lock.
 *
 * @throws {TokenStoreError} `TOKEN_STORE_INSECURE` when the file is not private to this user.
 */
async function readPrivateIfExists(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") checkPrivateFile(await lstat(path), path, "lock file");
    throw error;
  }
  try {
    checkPrivateFile(await handle.stat(), path, "lock file");
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
