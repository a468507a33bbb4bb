import { sleep } from "@kontist-auth/protocol";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { expect, it } from "vitest";
import type { StoredToken, TokenStore, TokenStoreLock } from "../store/TokenStore";
import { freshKey, sampleStoredToken } from "./sampleStoredToken";

/** A store under test and its peer (another process's view of the same data), fresh for one test. */
export interface StoresUnderTest {
  store: TokenStore;
  peer: TokenStore;
}

/** What {@link describeLockContract} needs of the `describeTokenStoreContract` block it runs in. */
export interface LockContractContext {
  /** Makes the stores of one test; the surrounding block cleans them up after it. */
  setUp: () => Promise<StoresUnderTest>;
  /** The TTL used to check that an unreleased lock lapses, in ms. */
  lockTtlMs: number;
  /** The timeout of each test in ms; `undefined`: vitest's `testTimeout`. */
  timeout: number | undefined;
}

/** The store's `lock`, bound to it. @throws {Error} when the store has none. */
function withLock(store: TokenStore): NonNullable<TokenStore["lock"]> {
  const lock = store.lock?.bind(store);
  if (lock === undefined) throw new Error("this store has no lock()");
  return lock;
}

/**
 * The lock half of `describeTokenStoreContract`: adds its `lock:` and finding 18 tests to the current
 * `describe` block (exclusive, hand-over, independent keys, TTL, timeout, stale releases, writes through
 * the lock and their refusal once it is lost, contention, bad options).
 *
 * @example
 * import { describe } from "vitest";
 *
 * describe("memoryStore (TokenStore contract)", () => {
 *   const setUp = async () => {
 *     const store = memoryStore();
 *     return { store, peer: store };
 *   };
 *   describeLockContract({ setUp, lockTtlMs: 300, timeout: undefined });
 * });
 */
export function describeLockContract({ setUp, lockTtlMs, timeout }: LockContractContext): void {
  it("lock: is exclusive, also against a peer, until released", { timeout }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("lock");
    const held = await withLock(store)(key, { ttlMs: 10_000 });
    const started = Date.now();
    const error = await withLock(peer)(key, { ttlMs: 10_000, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(isKontistAuthError(error, "TOKEN_STORE_LOCK_TIMEOUT")).toBe(true);
    await expect(withLock(store)(key, { timeoutMs: 0 })).rejects.toMatchObject({
      code: "TOKEN_STORE_LOCK_TIMEOUT",
    });
    await held.release();
    const again = await withLock(peer)(key, { ttlMs: 10_000, timeoutMs: 1_000 });
    await again.release();
  });

  it("lock: a waiter gets it soon after it is released", { timeout }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("handover");
    const held = await withLock(store)(key, { ttlMs: 10_000 });
    let acquired = false;
    const waiter = withLock(peer)(key, { ttlMs: 10_000, timeoutMs: 5_000 }).then((lock) => {
      acquired = true;
      return lock;
    });
    await sleep(150);
    expect(acquired).toBe(false);
    const released = Date.now();
    await held.release();
    const next = await waiter;
    expect(Date.now() - released).toBeLessThan(1_000);
    await next.release();
  });

  it("lock: keys lock independently", { timeout }, async () => {
    const { store } = await setUp();
    const first = await withLock(store)(freshKey("one"), { ttlMs: 10_000 });
    const second = await withLock(store)(freshKey("two"), { ttlMs: 10_000, timeoutMs: 0 });
    await Promise.all([first.release(), second.release()]);
  });

  it("lock: an unreleased lock lapses after its TTL", { timeout }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("ttl");
    const started = Date.now();
    await withLock(store)(key, { ttlMs: lockTtlMs });
    const next = await withLock(peer)(key, { ttlMs: 10_000, timeoutMs: lockTtlMs * 10 + 2_000 });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(lockTtlMs - 20);
    expect(waited).toBeLessThan(lockTtlMs * 10 + 2_000);
    await next.release();
  });

  it("lock: releasing twice, or after the lock lapsed, leaves the next holder's lock alone", {
    timeout,
  }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("stale-release");
    const lapsed = await withLock(store)(key, { ttlMs: lockTtlMs });
    const next = await withLock(peer)(key, { ttlMs: 10_000, timeoutMs: lockTtlMs * 10 + 2_000 });
    await lapsed.release();
    await lapsed.release();
    await expect(withLock(store)(key, { timeoutMs: 100 })).rejects.toMatchObject({
      code: "TOKEN_STORE_LOCK_TIMEOUT",
    });
    await next.release();
    await next.release();
    const free = await withLock(store)(key, { timeoutMs: 1_000 });
    await free.release();
  });

  it("lock: set and delete through a held lock write the locked key, and only it", {
    timeout,
  }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("fenced");
    const other = freshKey("fenced-other");
    await store.set(other, sampleStoredToken(9));
    const held = await withLock(store)(key, { ttlMs: 10_000 });
    await held.set(sampleStoredToken(1));
    expect(await peer.get(key)).toEqual(sampleStoredToken(1));
    await held.set(sampleStoredToken(2));
    expect(await peer.get(key)).toEqual(sampleStoredToken(2));
    await held.delete();
    expect(await peer.get(key)).toBeUndefined();
    await held.delete();
    expect(await peer.get(other)).toEqual(sampleStoredToken(9));
    await expect(held.set({ tokenType: "Bearer", scopes: [] } as unknown as StoredToken)).rejects.toThrow(
      TypeError,
    );
    await held.release();
  });

  it("finding 18: a holder whose lock lapsed cannot write an older token over the next holder's newer one", {
    timeout,
  }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("lapsed-write");
    await store.set(key, sampleStoredToken(1));
    const lapsed = await withLock(store)(key, { ttlMs: lockTtlMs });
    const next = await withLock(peer)(key, { ttlMs: 10_000, timeoutMs: lockTtlMs * 10 + 2_000 });
    await next.set(sampleStoredToken(3));
    // The first holder comes back (a slow refresh, a stopped process) with what it renewed before.
    for (const write of [() => lapsed.set(sampleStoredToken(2)), () => lapsed.delete()]) {
      const error = await write().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isKontistAuthError(error, "TOKEN_STORE_LOCK_LOST")).toBe(true);
      expect(String(error)).not.toContain("refresh-");
    }
    expect(await store.get(key)).toEqual(sampleStoredToken(3));
    expect(await peer.get(key)).toEqual(sampleStoredToken(3));
    await next.release();
  });

  it("finding 18: a lock that lapsed, or was released, writes nothing even when no one took it", {
    timeout,
  }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("lapsed-untaken");
    await store.set(key, sampleStoredToken(1));
    const lapsed = await withLock(store)(key, { ttlMs: lockTtlMs });
    await sleep(lockTtlMs + 150);
    await expect(lapsed.set(sampleStoredToken(2))).rejects.toMatchObject({ code: "TOKEN_STORE_LOCK_LOST" });
    await expect(lapsed.delete()).rejects.toMatchObject({ code: "TOKEN_STORE_LOCK_LOST" });
    const released = await withLock(peer)(key, { ttlMs: 10_000, timeoutMs: 1_000 });
    await released.release();
    await expect(released.set(sampleStoredToken(3))).rejects.toMatchObject({
      code: "TOKEN_STORE_LOCK_LOST",
    });
    expect(await peer.get(key)).toEqual(sampleStoredToken(1));
  });

  it("lock: 8 contending callers hold it one at a time", { timeout }, async () => {
    const { store, peer } = await setUp();
    const key = freshKey("contention");
    let inside = 0;
    let most = 0;
    let entered = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        const lock: TokenStoreLock = await withLock(index % 2 ? peer : store)(key, {
          ttlMs: 10_000,
          timeoutMs: 20_000,
        });
        inside += 1;
        entered += 1;
        most = Math.max(most, inside);
        await sleep(10);
        inside -= 1;
        await lock.release();
      }),
    );
    expect(entered).toBe(8);
    expect(most).toBe(1);
  });

  it("lock: refuses bad options with a TypeError", { timeout }, async () => {
    const { store } = await setUp();
    await expect(withLock(store)(freshKey("bad"), { ttlMs: 0 })).rejects.toThrow(TypeError);
    await expect(withLock(store)(freshKey("bad"), { timeoutMs: -1 })).rejects.toThrow(TypeError);
    await expect(withLock(store)("", {})).rejects.toThrow(TypeError);
  });
}
