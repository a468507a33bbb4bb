import { afterEach, describe, expect, it } from "vitest";
import type { StoredToken, TokenStore } from "../store/TokenStore";
import { describeLockContract, type StoresUnderTest } from "./describeLockContract";
import { freshKey, sampleStoredToken } from "./sampleStoredToken";

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
 * import { redisStore } from "@kontist-auth/token-store-redis";
 * import { Redis } from "ioredis";
 *
 * const url = "redis://127.0.0.1:6379";
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

  const setUp = async (): Promise<StoresUnderTest> => {
    const underTest = await create();
    if (underTest.close !== undefined) cleanups.push(underTest.close);
    const peer = underTest.peer === undefined ? underTest.store : await underTest.peer();
    return { store: underTest.store, peer };
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

    describeLockContract({ setUp, lockTtlMs, timeout });
  });
}
