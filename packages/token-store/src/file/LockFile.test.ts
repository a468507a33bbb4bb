import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "@kontist-auth/protocol";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockFile } from "./LockFile";

let directory: string;
let path: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "lock-file-"));
  path = join(directory, "tokens.json.lock");
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A pid no process has (above Linux's and macOS's pid_max). */
const deadPid = 2 ** 22 + 777;

// Lock files are the user's own and 0600 (anything else is refused, finding 19), as LockFile makes them.
const writeHolder = (file: string, holder: Record<string, unknown>) =>
  writeFile(
    file,
    JSON.stringify({ pid: process.pid, host: hostname(), owner: "other", acquiredAt: Date.now(), ...holder }),
    { mode: 0o600 },
  );

describe("LockFile", () => {
  it("writes its holder into the lock file and removes it on release", async () => {
    const lock = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 0 });
    const holder = await new LockFile(path).holder();
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(holder?.expiresAt).toBeGreaterThan(Date.now() + 4_000);
    expect(holder?.owner).toMatch(/^[0-9a-f]{32}$/);
    await lock.release();
    expect(await readdir(directory)).toEqual([]);
  });

  it("times out with TOKEN_STORE_LOCK_TIMEOUT while a live holder has it", async () => {
    const lock = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 0 });
    const started = Date.now();
    const error = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(isKontistAuthError(error, "TOKEN_STORE_LOCK_TIMEOUT")).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    await lock.release();
  });

  it("takes over at once a lock whose holder's process is gone", async () => {
    await writeHolder(path, { pid: deadPid, expiresAt: Date.now() + 60_000 });
    const started = Date.now();
    const lock = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(500);
    await lock.release();
  });

  it("takes over a lock of a live process once it expired", async () => {
    await writeHolder(path, { expiresAt: Date.now() + 300 });
    const started = Date.now();
    const lock = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 5_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(1_500);
    await lock.release();
  });

  it("trusts no pid of another host: waits for the expiry", async () => {
    await writeHolder(path, { host: "another-host.example", pid: deadPid, expiresAt: Date.now() + 300 });
    const started = Date.now();
    const lock = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 5_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    await lock.release();
  });

  it("takes over an unreadable lock file", async () => {
    await writeFile(path, "", { mode: 0o600 });
    const lock = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 1_000 });
    await lock.release();
  });

  it("takes over a guard left by a dead process, and one that expired", async () => {
    await writeHolder(path, { pid: deadPid, expiresAt: Date.now() + 60_000 });
    await writeHolder(`${path}.guard`, { pid: deadPid, expiresAt: Date.now() + 60_000 });
    const lock = await new LockFile(path).acquire({ ttlMs: 5_000, timeoutMs: 2_000 });
    await writeHolder(`${path}.guard`, { host: "another-host.example", expiresAt: Date.now() + 200 });
    await lock.release();
    expect(await readdir(directory)).toEqual([]);
  });

  it("gives a dead holder's lock to exactly one of many waiters at a time", async () => {
    await writeHolder(path, { pid: deadPid, expiresAt: Date.now() + 60_000 });
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const lock = await new LockFile(path).acquire({ ttlMs: 10_000, timeoutMs: 20_000 });
        inside += 1;
        most = Math.max(most, inside);
        await sleep(5);
        inside -= 1;
        await lock.release();
      }),
    );
    expect(most).toBe(1);
    expect(await readdir(directory)).toEqual([]);
  });

  it("isHeld: while held and unexpired only; not once it lapsed, went to another holder, or was released", async () => {
    const lapsed = await new LockFile(path).acquire({ ttlMs: 100, timeoutMs: 0 });
    expect(await lapsed.isHeld()).toBe(true);
    await sleep(120);
    expect(await lapsed.isHeld()).toBe(false); // expired, though no one took it yet
    const next = await new LockFile(path).acquire({ ttlMs: 10_000, timeoutMs: 2_000 });
    expect(await lapsed.isHeld()).toBe(false);
    expect(await next.isHeld()).toBe(true);
    await next.release();
    expect(await next.isHeld()).toBe(false);
  });

  it("takes over an abandoned lock only inside the takeOver wrapper it was given", async () => {
    await writeHolder(path, { pid: deadPid, expiresAt: Date.now() + 60_000 });
    const calls: string[] = [];
    const lockFile = new LockFile(path, {
      takeOver: async (remove) => {
        calls.push("before");
        await remove();
        calls.push("after");
      },
    });
    const lock = await lockFile.acquire({ ttlMs: 5_000, timeoutMs: 2_000 });
    expect(calls).toEqual(["before", "after"]);
    await lock.release();
    expect(calls).toHaveLength(2); // a release is no takeover
  });

  it("does not release a lock that lapsed and went to another holder", async () => {
    const lapsed = await new LockFile(path).acquire({ ttlMs: 100, timeoutMs: 0 });
    const next = await new LockFile(path).acquire({ ttlMs: 10_000, timeoutMs: 2_000 });
    await lapsed.release();
    await expect(new LockFile(path).acquire({ ttlMs: 1_000, timeoutMs: 50 })).rejects.toMatchObject({
      code: "TOKEN_STORE_LOCK_TIMEOUT",
    });
    await next.release();
  });
});
