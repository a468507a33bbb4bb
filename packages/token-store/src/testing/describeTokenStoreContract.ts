import { afterEach, describe, expect, it } from "vitest";
import { isTokenStoreError } from "../errors/TokenStoreError";
import type { StoredToken, TokenStore, TokenStoreLock } from "../store/TokenStore";

/** What the factory given to {@link describeTokenStoreContract} resolves to. */
export interface TokenStoreUnderTest {
  /** The store to check. Tests use fresh random keys, so a store shared between tests is fine. */
  store: TokenStore;
  /**
   * Opens a second store over the same data, as another process would (another connection, another
   * `fileStore` on the same path). Default: the same store.
   */
  peer?: (() => TokenStore | Promise<TokenStore>) | undefined;
  /** Called after each test: close connections, remove files. */
  close?: (() => Promise<void>) | undefined;
}

/** Options of {@link describeTokenStoreContract}. */
export interface TokenStoreContractOptions {
  /** Whether the store has `lock()` (then its semantics are checked); default true. */
  lock?: boolean | undefined;
  /**
   * The TTL used to check that an unreleased lock lapses, in ms; default 300. Give more to a store whose
   * expiry is coarse.
   */
  lockTtlMs?: number | undefined;
  /** The timeout of each test in ms; default: vitest's `testTimeout`. */
  timeout?: number | undefined;
}

let serial = 0;

/** A fresh key per use, so stores shared between tests and runs never see each other's data. */
function freshKey(label: string): string {
  serial += 1;
  return `contract:${label}:${Date.now().toString(36)}:${serial}:${Math.random().toString(36).slice(2)}`;
}

/** A token like the client stores: every field set. */
export function sampleStoredToken(n = 1): StoredToken {
  return {
    accessToken: `eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.sig-${n}`,
    refreshToken: `refresh-${n}`,
    tokenType: "Bearer",
    expiresAt: 1_900_000_000_000 + n,
    scopes: ["users", "offline"],
  };
}

/**
 * Checks that a {@link TokenStore} keeps the contract the client relies on: a `describe` block of vitest
 * tests. Every adapter of this repository runs it (`memoryStore`, `webStorageStore`, `fileStore`,
 * `redisStore`); run it against a custom store too.
 *
 * Checked: a missing key reads as `undefined`; set/get round trip (every field, and without the optional
 * ones); overwrite; delete (also of a missing key); keys independent of each other; values copied in and
 * out; a peer store sees the writes; 20 concurrent writes of different keys from two stores all persist;
 * keys with any characters; `TypeError` for an empty key or a value that is not a token. With a lock:
 * exclusive (also against the peer, and under contention of 8 callers), released ones are free at once,
 * a waiter gets it on release, keys lock independently, an unreleased lock lapses after its TTL, a waiter
 * gives up after `timeoutMs` with `TOKEN_STORE_LOCK_TIMEOUT`, releasing twice or after it lapsed is
 * harmless and does not free the next holder's lock; `lock.set` / `lock.delete` write the locked key while
 * the lock is held, and are refused with `TOKEN_STORE_LOCK_LOST` (writing nothing) once it lapsed, was
 * released, or went to another holder, so a late holder never puts an older token over a newer one.
 *
 * @param name - names the `describe` block.
 * @param create - called before each test.
 *
 * @example
 * import { describeTokenStoreContract } from "@kontist-auth/token-store/testing";
 *
 * describeTokenStoreContract("redisStore", async () => {
 *   const redis = new Redis(url);
 *   return { store: redisStore(redis), peer: () => redisStore(new Redis(url)), close: () => redis.quit().then(() => {}) };
 * });
 */
export function describeTokenStoreContract(
  name: string,
  create: () => TokenStoreUnderTest | Promise<TokenStoreUnderTest>,
  options: TokenStoreContractOptions = {},
): void {
  const { lock: hasLock = true, lockTtlMs = 300, timeout } = options;
  let cleanups: (() => Promise<void>)[] = [];

  const setUp = async () => {
    const underTest = await create();
    if (underTest.close !== undefined) cleanups.push(underTest.close);
    const peer = underTest.peer === undefined ? underTest.store : await underTest.peer();
    return { store: underTest.store, peer };
  };

  const withLock = (store: TokenStore) => {
    const lock = store.lock?.bind(store);
    if (lock === undefined) throw new Error("this store has no lock()");
    return lock;
  };

  describe(`${name} (TokenStore contract)`, () => {
    afterEach(async () => {
      const pending = cleanups;
      cleanups = [];
      for (const cleanup of pending.reverse()) await cleanup();
    });

    it("reads a missing key as undefined", { timeout }, async () => {
      const { store } = await setUp();
      await expect(store.get(freshKey("missing"))).resolves.toBeUndefined();
    });

    it("round-trips a token, with and without the optional fields", { timeout }, async () => {
      const { store } = await setUp();
      const full = freshKey("full");
      const minimal = freshKey("minimal");
      await store.set(full, sampleStoredToken(1));
      await store.set(minimal, { accessToken: "opaque", tokenType: "Bearer", scopes: [] });
      expect(await store.get(full)).toEqual(sampleStoredToken(1));
      const read = await store.get(minimal);
      expect(read).toEqual({ accessToken: "opaque", tokenType: "Bearer", scopes: [] });
      expect(read?.refreshToken).toBeUndefined();
      expect(read?.expiresAt).toBeUndefined();
    });

    it("overwrites, deletes, and deletes a missing key without error", { timeout }, async () => {
      const { store } = await setUp();
      const key = freshKey("overwrite");
      await store.set(key, sampleStoredToken(1));
      await store.set(key, sampleStoredToken(2));
      expect(await store.get(key)).toEqual(sampleStoredToken(2));
      await store.delete(key);
      await expect(store.get(key)).resolves.toBeUndefined();
      await expect(store.delete(key)).resolves.toBeUndefined();
      await expect(store.delete(freshKey("never-set"))).resolves.toBeUndefined();
    });

    it("keeps keys independent, whatever characters they hold", { timeout }, async () => {
      const { store } = await setUp();
      const keys = [
        freshKey("a"),
        freshKey("b"),
        `${freshKey("odd")}/../:*?"<>| \n\u00fc\u{1F511}`,
        `${freshKey("long")}${"x".repeat(300)}`,
        "__proto__",
      ];
      for (const [index, key] of keys.entries()) await store.set(key, sampleStoredToken(index));
      await store.delete(keys[0] as string);
      expect(await store.get(keys[0] as string)).toBeUndefined();
      for (const [index, key] of keys.entries()) {
        if (index > 0) expect(await store.get(key)).toEqual(sampleStoredToken(index));
      }
      await store.delete("__proto__");
    });

    it("copies values in and out", { timeout }, async () => {
      const { store } = await setUp();
      const key = freshKey("copy");
      const token = sampleStoredToken(1);
      await store.set(key, token);
      token.scopes.push("changed");
      token.accessToken = "changed";
      const read = await store.get(key);
      expect(read).toEqual(sampleStoredToken(1));
      read?.scopes.push("changed again");
      expect(await store.get(key)).toEqual(sampleStoredToken(1));
    });

    it("shares its data with a peer store", { timeout }, async () => {
      const { store, peer } = await setUp();
      const key = freshKey("peer");
      await store.set(key, sampleStoredToken(1));
      expect(await peer.get(key)).toEqual(sampleStoredToken(1));
      await peer.set(key, sampleStoredToken(2));
      expect(await store.get(key)).toEqual(sampleStoredToken(2));
      await peer.delete(key);
      expect(await store.get(key)).toBeUndefined();
    });

    it("keeps every one of 20 concurrent writes of different keys", { timeout }, async () => {
      const { store, peer } = await setUp();
      const keys = Array.from({ length: 20 }, (_, index) => freshKey(`concurrent-${index}`));
      await Promise.all(
        keys.map((key, index) => (index % 2 ? peer : store).set(key, sampleStoredToken(index))),
      );
      for (const [index, key] of keys.entries())
        expect(await store.get(key)).toEqual(sampleStoredToken(index));
    });

    it("refuses an empty key and a value that is not a token with a TypeError", { timeout }, async () => {
      const { store } = await setUp();
      await expect(store.get("")).rejects.toThrow(TypeError);
      await expect(store.set("", sampleStoredToken())).rejects.toThrow(TypeError);
      await expect(store.delete("")).rejects.toThrow(TypeError);
      const key = freshKey("invalid");
      const invalid = [
        { tokenType: "Bearer", scopes: [] },
        { accessToken: "", tokenType: "Bearer", scopes: [] },
        { accessToken: "a", tokenType: "Bearer", scopes: "users" },
        { accessToken: "a", tokenType: "Bearer", scopes: [], expiresAt: "soon" },
        { accessToken: "a", tokenType: "Bearer", scopes: [], refreshToken: 1 },
      ];
      for (const value of invalid) {
        const error = await store.set(key, value as unknown as StoredToken).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TypeError);
        expect(String(error)).not.toContain("refresh-");
      }
      expect(await store.get(key)).toBeUndefined();
    });

    if (!hasLock) {
      it("has no lock", async () => {
        const { store } = await setUp();
        expect(store.lock).toBeUndefined();
      });
      return;
    }

    it("lock: is exclusive, also against a peer, until released", { timeout }, async () => {
      const { store, peer } = await setUp();
      const key = freshKey("lock");
      const held = await withLock(store)(key, { ttlMs: 10_000 });
      const started = Date.now();
      const error = await withLock(peer)(key, { ttlMs: 10_000, timeoutMs: 200 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(isTokenStoreError(error, "TOKEN_STORE_LOCK_TIMEOUT")).toBe(true);
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
      await new Promise((resolve) => setTimeout(resolve, 150));
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
        expect(isTokenStoreError(error, "TOKEN_STORE_LOCK_LOST")).toBe(true);
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
      await new Promise((resolve) => setTimeout(resolve, lockTtlMs + 150));
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
          await new Promise((resolve) => setTimeout(resolve, 10));
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
  });
}
