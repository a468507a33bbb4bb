import { createServer } from "node:net";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import type { StoredToken } from "@kontist-auth/token-store";
import { Cluster, Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectRedis, deleteKeysUnder, uniquePrefix } from "../../test";
import { escapeKeyPattern } from "./escapeKeyPattern";
import { redisStore } from "./redisStore";

const token: StoredToken = {
  accessToken: "eyJhbGciOiJFUzI1NiJ9.secret-access.sig",
  refreshToken: "secret-refresh-token",
  tokenType: "Bearer",
  expiresAt: 1_800_000_000_000,
  scopes: ["users", "offline"],
};

const redis = connectRedis();
let prefix: string;
beforeEach(() => {
  prefix = uniquePrefix();
});
afterEach(() => deleteKeysUnder(redis, prefix));
afterAll(() => redis.quit());

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** Everything a log line could show of an error, its cause included. */
function shown(error: Error): string {
  return `${error.message} ${String(error)} ${JSON.stringify(error)} ${String(error.cause)} ${JSON.stringify(error.cause)}`;
}

describe("redisStore", () => {
  it("round-trips a token, replaces it, and deletes it", async () => {
    const store = redisStore(redis, { prefix });
    expect(await store.get("demo-client:me")).toBeUndefined();
    await store.set("demo-client:me", token);
    expect(await store.get("demo-client:me")).toEqual(token);

    const next = { ...token, accessToken: "next-access", expiresAt: token.expiresAt ?? 0 + 1 };
    await store.set("demo-client:me", next);
    expect(await store.get("demo-client:me")).toEqual(next);

    await store.delete("demo-client:me");
    expect(await store.get("demo-client:me")).toBeUndefined();
    await expect(store.delete("demo-client:me")).resolves.toBeUndefined();
  });

  it("keeps tokens under <prefix>token:<key>, as JSON, and apart from other prefixes and keys", async () => {
    const store = redisStore(redis, { prefix });
    const other = redisStore(redis, { prefix: `${prefix}other:` });
    await store.set("a", token);
    await store.set("b", { ...token, accessToken: "b-access" });

    expect(await redis.keys(`${prefix}*`)).toEqual(
      expect.arrayContaining([`${prefix}token:a`, `${prefix}token:b`]),
    );
    expect(JSON.parse((await redis.get(`${prefix}token:a`)) ?? "")).toMatchObject({
      format: "@kontist-auth/token-store",
      version: 1,
      token,
    });
    expect(await other.get("a")).toBeUndefined();
    expect((await store.get("b"))?.accessToken).toBe("b-access");
  });

  it('uses "kontist-auth:" when no prefix is given', async () => {
    const key = uniquePrefix("default-prefix");
    const store = redisStore(redis);
    try {
      await store.set(key, token);
      expect(await redis.exists(`kontist-auth:token:${key}`)).toBe(1);
    } finally {
      await store.delete(key);
    }
  });

  it.each([
    ["text that is not JSON", (key: string) => redis.set(key, "{oops")],
    ["another program's JSON", (key: string) => redis.set(key, JSON.stringify({ session: "x" }))],
    ["a hash", (key: string) => redis.hset(key, "accessToken", "x")],
  ])("reports %s under the key as TOKEN_STORE_CORRUPT, and never overwrites it", async (_name, write) => {
    const store = redisStore(redis, { prefix });
    const redisKey = `${prefix}token:me`;
    await write(redisKey);
    const before = await redis.dump(redisKey);

    const read = await rejection(store.get("me"));
    expect(isKontistAuthError(read, "TOKEN_STORE_CORRUPT")).toBe(true);
    const written = await rejection(store.set("me", token));
    expect(isKontistAuthError(written, "TOKEN_STORE_CORRUPT")).toBe(true);
    expect(shown(written)).not.toContain("secret");
    expect(await redis.dump(redisKey)).toEqual(before);

    // Deleting is the explicit way out.
    await store.delete("me");
    await store.set("me", token);
    expect(await store.get("me")).toEqual(token);
  });

  it("refuses to write what is not a StoredToken, and a key that is not a non-empty string", async () => {
    const store = redisStore(redis, { prefix });
    await expect(store.set("me", { ...token, accessToken: "" })).rejects.toThrow(TypeError);
    await expect(store.set("me", { ...token, scopes: "users" } as unknown as StoredToken)).rejects.toThrow(
      TypeError,
    );
    await expect(store.get("")).rejects.toThrow(TypeError);
    expect(await redis.exists(`${prefix}token:me`)).toBe(0);
  });

  it.each([
    [{ prefix: 1 }],
    [{ lockTtlMs: 0 }],
    [{ lockTtlMs: -1 }],
    [{ pollMs: 0 }],
    [{ pollMs: -1 }],
    [{ lockTimeoutMs: Number.NaN }],
  ])("refuses options %o with a TypeError", (options) => {
    expect(() => redisStore(redis, options as never)).toThrow(TypeError);
  });

  it("finding 18: a write through the lock checks the lock's owner in the same script as the write", async () => {
    const store = redisStore(redis, { prefix });
    await store.set("me", token);
    const held = await store.lock("me", { ttlMs: 10_000 });
    // Another holder's value in the lock key (as after a lapse and a takeover): nothing is written.
    await redis.set(`${prefix}lock:me`, "another-holder", "PX", 10_000);
    const error = await rejection(held.set({ ...token, accessToken: "older-access" }));
    expect(isKontistAuthError(error, "TOKEN_STORE_LOCK_LOST")).toBe(true);
    expect(shown(error)).not.toContain("secret");
    await expect(held.delete()).rejects.toMatchObject({ code: "TOKEN_STORE_LOCK_LOST" });
    expect(await store.get("me")).toEqual(token);
    await held.release();
    expect(await redis.get(`${prefix}lock:me`)).toBe("another-holder");
  });

  it("a write through the lock never overwrites a value this store did not write either", async () => {
    const store = redisStore(redis, { prefix });
    await redis.set(`${prefix}token:me`, JSON.stringify({ session: "x" }));
    const held = await store.lock("me");
    const error = await rejection(held.set(token));
    expect(isKontistAuthError(error, "TOKEN_STORE_CORRUPT")).toBe(true);
    expect(JSON.parse((await redis.get(`${prefix}token:me`)) ?? "")).toEqual({ session: "x" });
    await held.delete(); // the explicit way out, as with the store's delete
    expect(await redis.exists(`${prefix}token:me`)).toBe(0);
    await held.release();
  });

  it("with a Cluster, refuses a prefix whose { makes no hash tag, and a key starting with }", async () => {
    const cluster = new Cluster([{ host: "127.0.0.1", port: 1 }], { lazyConnect: true });
    try {
      for (const bad of ["app{:", "app{}:", "app}{:", "{}app:"]) {
        expect(() => redisStore(cluster, { prefix: bad })).toThrow(/hash tag/);
      }
      for (const good of [undefined, "app:", "app}:", "{app}:", "tenant-{42}:", "{kontist-auth}"]) {
        expect(() => redisStore(cluster, { prefix: good })).not.toThrow();
      }
      // Without a tag in the prefix, each key is wrapped in one; "{}" would be none.
      await expect(redisStore(cluster).get("}me")).rejects.toThrow(TypeError);
      expect(() => redisStore(redis, { prefix: "app{:" })).not.toThrow();
      await expect(redisStore(redis, { prefix }).get("}me")).resolves.toBeUndefined();
    } finally {
      cluster.disconnect();
    }
  });

  it("lists the keys of its tokens, by glob, and nothing else under its prefix or outside it", async () => {
    const store = redisStore(redis, { prefix });
    const other = redisStore(redis, { prefix: `${prefix}other:` });
    const keys = [
      "kontist-auth:demo-client:42",
      "kontist-auth:demo-client:142",
      "kontist-auth:cli:42",
      "odd*[key]",
    ];
    for (const key of keys) await store.set(key, token);
    await other.set("kontist-auth:demo-client:42", token);
    const held = await store.lock("locked-only"); // a lock alone is no token
    await redis.set(`${prefix}unrelated`, "x");

    expect(await store.keys()).toEqual([...keys].sort());
    expect(await store.keys("*")).toEqual([...keys].sort());
    expect(await store.keys("kontist-auth:*:42")).toEqual([
      "kontist-auth:cli:42",
      "kontist-auth:demo-client:42",
    ]);
    expect(await store.keys("kontist-auth:demo-client:*")).toEqual([
      "kontist-auth:demo-client:142",
      "kontist-auth:demo-client:42",
    ]);
    expect(await store.keys(escapeKeyPattern("odd*[key]"))).toEqual(["odd*[key]"]);
    expect(await store.keys("nobody")).toEqual([]);
    expect(await other.keys()).toEqual(["kontist-auth:demo-client:42"]);
    await held.release();
  });

  it("deletes the tokens of one user, with their locks, so a renewal under way cannot write one back", async () => {
    const store = redisStore(redis, { prefix });
    const userKeys = ["kontist-auth:demo-client:42", "kontist-auth:cli:42"];
    for (const key of [...userKeys, "kontist-auth:demo-client:142", "kontist-auth:demo-client:*"]) {
      await store.set(key, token);
    }
    const renewing = await store.lock("kontist-auth:cli:42", { ttlMs: 10_000 });

    expect(await store.deleteKeys(`kontist-auth:*:${escapeKeyPattern("42")}`)).toBe(2);

    for (const key of userKeys) expect(await store.get(key)).toBeUndefined();
    expect(await redis.exists(`${prefix}lock:kontist-auth:cli:42`)).toBe(0);
    const late = await rejection(renewing.set({ ...token, accessToken: "renewed-access" }));
    expect(isKontistAuthError(late, "TOKEN_STORE_LOCK_LOST")).toBe(true);
    expect(await store.get("kontist-auth:cli:42")).toBeUndefined();
    // An escaped "*" is a key, not every key.
    expect(await store.deleteKeys(escapeKeyPattern("kontist-auth:demo-client:*"))).toBe(1);
    expect(await store.keys()).toEqual(["kontist-auth:demo-client:142"]);
    expect(await store.deleteKeys("*")).toBe(1);
    expect(await store.keys()).toEqual([]);
    expect(await store.deleteKeys("*")).toBe(0);
  });

  it("refuses an empty or non-string match with a TypeError, and reports Redis failures as TOKEN_STORE_ERROR", async () => {
    const store = redisStore(redis, { prefix });
    await expect(store.keys("")).rejects.toThrow(TypeError);
    await expect(store.deleteKeys("")).rejects.toThrow(TypeError);
    await expect(store.deleteKeys(undefined as unknown as string)).rejects.toThrow(TypeError);
    const broken = new Proxy(redis, {
      get(target, property, receiver) {
        if (property !== "scan") return Reflect.get(target, property, receiver);
        return () => Promise.reject(new Error("ERR scan failed"));
      },
    });
    for (const attempt of [
      redisStore(broken, { prefix }).keys(),
      redisStore(broken, { prefix }).deleteKeys("*"),
    ]) {
      const error = await rejection(attempt);
      expect(isKontistAuthError(error, "TOKEN_STORE_ERROR")).toBe(true);
    }
  });

  it("escapeKeyPattern makes any text match only itself", async () => {
    expect(escapeKeyPattern("a*b?c[d]e\\f")).toBe("a\\*b\\?c\\[d\\]e\\\\f");
    const store = redisStore(redis, { prefix });
    const odd = ["*", "?", "[a-z]", "\\", "a\\*"];
    for (const key of [...odd, "x", "ab"]) await store.set(key, token);
    for (const key of odd) expect(await store.keys(escapeKeyPattern(key))).toEqual([key]);
  });

  it("turns an unreachable Redis into TOKEN_STORE_ERROR with the cause, and no token anywhere", async () => {
    const port = await closedLoopbackPort();
    const unreachable = new Redis({
      host: "127.0.0.1",
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    unreachable.on("error", () => {});
    const store = redisStore(unreachable, { prefix });
    try {
      for (const attempt of [store.set("me", token), store.get("me"), store.delete("me"), store.lock("me")]) {
        const error = await rejection(attempt);
        expect(isKontistAuthError(error, "TOKEN_STORE_ERROR")).toBe(true);
        expect(error.cause).toBeInstanceOf(Error);
        expect(shown(error)).not.toContain("secret");
        expect(Object.keys(error.cause as object)).not.toContain("command");
      }
    } finally {
      unreachable.disconnect();
    }
  });

  it("keeps the failed command's arguments (a token) out of the cause", async () => {
    // ioredis attaches { name, args } of the failed command to reply errors; for a write, args hold the token.
    const readOnly = new Proxy(redis, {
      get(target, property, receiver) {
        if (property !== "eval") return Reflect.get(target, property, receiver);
        return (...args: unknown[]) => {
          const error = new Error("READONLY You can't write against a read only replica.");
          return Promise.reject(
            Object.assign(error, { name: "ReplyError", command: { name: "eval", args } }),
          );
        };
      },
    });

    const error = await rejection(redisStore(readOnly, { prefix }).set("me", token));

    expect(isKontistAuthError(error, "TOKEN_STORE_ERROR")).toBe(true);
    expect(error.message).toContain("READONLY");
    expect((error.cause as Error).name).toBe("ReplyError");
    expect((error.cause as { command?: unknown }).command).toBeUndefined();
    expect(shown(error)).not.toContain("secret");
  });
});

function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 1));
    });
  });
}
