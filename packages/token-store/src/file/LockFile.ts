import { randomBytes } from "node:crypto";
import { link, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { lockTimeoutError } from "../errors/TokenStoreError";
import type { TokenStoreLock } from "../store/TokenStore";
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
 * A holder that outlives its TTL (stopped, or slower than promised) can lose the lock to a waiter; choose
 * the TTL accordingly.
 *
 * @example
 * const lock = await new LockFile("/home/me/.config/app/tokens.json.lock").acquire({ ttlMs: 10_000, timeoutMs: 30_000 });
 * try { await readModifyWrite(); } finally { await lock.release(); }
 */
export class LockFile {
  /** The lock file. */
  readonly path: string;
  readonly #guard: string;

  constructor(path: string) {
    this.path = path;
    this.#guard = `${path}.guard`;
  }

  /**
   * Resolves when this caller holds the lock, for at most `ttlMs`.
   *
   * @throws {TokenStoreError} `TOKEN_STORE_LOCK_TIMEOUT` after `timeoutMs`.
   * @throws the file system's error, e.g. `EACCES` or `ENOENT` for a missing directory.
   */
  async acquire(options: { ttlMs: number; timeoutMs: number }): Promise<TokenStoreLock> {
    const { ttlMs, timeoutMs } = options;
    const deadline = Date.now() + timeoutMs;
    const owner = randomBytes(16).toString("hex");
    for (let attempt = 0; ; attempt += 1) {
      if (await createExclusively(this.path, holderFor(owner, ttlMs))) {
        return { release: () => this.#release(owner) };
      }
      const content = await readIfExists(this.path);
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

  /** Reads who holds the lock, if anyone (an unreadable lock file gives `undefined` too). */
  async holder(): Promise<LockHolder | undefined> {
    const content = await readIfExists(this.path);
    return content === undefined ? undefined : parseHolder(content);
  }

  async #release(owner: string): Promise<void> {
    const guard = await this.#acquireGuard(Date.now() + guardTtlMs, guardTtlMs);
    try {
      const content = await readIfExists(this.path);
      // A lapsed lock may belong to another holder now: leave theirs alone.
      if (content !== undefined && parseHolder(content)?.owner === owner) await unlinkIfExists(this.path);
    } finally {
      await guard();
    }
  }

  /** Removes the lock file if it still holds `content` (the dead holder's lock that was read). */
  async #removeIfUnchanged(content: string, deadline: number, timeoutMs: number): Promise<void> {
    const guard = await this.#acquireGuard(deadline, timeoutMs);
    try {
      if ((await readIfExists(this.path)) === content) await unlinkIfExists(this.path);
    } finally {
      await guard();
    }
  }

  /** Takes the guard; resolves to its release. */
  async #acquireGuard(deadline: number, timeoutMs: number): Promise<() => Promise<void>> {
    const owner = randomBytes(16).toString("hex");
    for (;;) {
      if (await createExclusively(this.#guard, holderFor(owner, guardTtlMs))) {
        return async () => {
          if (parseHolder((await readIfExists(this.#guard)) ?? "")?.owner === owner) {
            await unlinkIfExists(this.#guard);
          }
        };
      }
      const content = await readIfExists(this.#guard);
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
    if ((await readIfExists(aside)) !== content) await link(aside, path).catch(() => {});
  } finally {
    await unlink(aside).catch(() => {});
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
