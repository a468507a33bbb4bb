import { sleep } from "@kontist-auth/protocol";
import { defaultSeeds, type SandboxOptions } from "@kontist-auth/sandbox";
import { memoryStore, type StoredToken, type TokenStore, TokenStoreError } from "@kontist-auth/token-store";
import { isTokenStoreError } from "@kontist-auth/token-store/backend";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { sendJson, startLoopbackServer } from "../../test/loopbackServer";
import {
  type ClientSandbox,
  noteRefusedTokenRequests,
  sandboxClient,
  startClientSandbox,
} from "../../test/sandbox";
import { acceptConfirmedToken } from "../auth/acceptConfirmedToken";
import { Client } from "../Client";
import { NoTokenError } from "../errors/NoTokenError";
import type { ClientOptions } from "../options/ClientOptions";

const query = "{ viewer { id } }";
const key = `kontist-auth:${sandboxClient.clientId}`;
const [demoUser] = defaultSeeds.users;

let sandbox: ClientSandbox;
beforeAll(async () => {
  sandbox = await startClientSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A sandbox started with `options`, noting in `refused` the refreshes it refused; closed after the test. */
async function sandboxWith(options: SandboxOptions, refused: string[]): Promise<ClientSandbox> {
  const started = await startClientSandbox({ ...options, ...noteRefusedTokenRequests(refused) });
  closers.push(() => started.close());
  return started;
}

/** A token pair of a login to `at`, as another process would store it. */
async function login(at: ClientSandbox = sandbox) {
  const { accessToken, refreshToken } = await at.signIn();
  return { accessToken, refreshToken };
}

/** Refreshes `at` received (refused ones included). */
const refreshes = (at: ClientSandbox = sandbox) => at.test.grantCount("refresh_token");

/** A store that records calls, and fails an operation while `failing` names it. */
function recordingStore(inner: TokenStore = memoryStore()) {
  const calls: string[] = [];
  const failing = new Set<"get" | "set" | "delete" | "lock">();
  const fail = (operation: "get" | "set" | "delete" | "lock") => {
    if (failing.has(operation)) throw new Error(`disk on fire during ${operation}`);
  };
  const store: TokenStore = {
    get: async (k) => {
      calls.push(`get ${k}`);
      fail("get");
      return inner.get(k);
    },
    set: async (k, token) => {
      calls.push(`set ${k}`);
      fail("set");
      return inner.set(k, token);
    },
    delete: async (k) => {
      calls.push(`delete ${k}`);
      fail("delete");
      return inner.delete(k);
    },
  };
  if (inner.lock) {
    const lock = inner.lock.bind(inner);
    store.lock = async (k, options) => {
      calls.push(`lock ${k}`);
      fail("lock");
      const held = await lock(k, options);
      // The client writes through the lock it holds: those writes are recorded (and fail) as the store's.
      return {
        release: () => held.release(),
        set: async (token) => {
          calls.push(`set ${k}`);
          fail("set");
          return held.set(token);
        },
        delete: async () => {
          calls.push(`delete ${k}`);
          fail("delete");
          return held.delete();
        },
      };
    };
  }
  return { store, inner, calls, failing };
}

async function clientOf(options: Partial<ClientOptions> = {}, at: ClientSandbox = sandbox) {
  return new Client({ baseUrl: at.url, ...sandboxClient, ...options });
}

/** An access token of the sandbox's user, expired: the client renews it before sending anything. */
const expiredAccessToken = fakeJwt({ sub: demoUser.id, scope: "users offline", exp: 1_600_000_000 });

const expiredToken = (refreshToken: string): StoredToken => ({
  accessToken: expiredAccessToken,
  refreshToken,
  tokenType: "Bearer",
  scopes: ["users", "offline"],
});

describe("the token store: loading", () => {
  it("loads the stored token once, on the first API call, for every concurrent caller", async () => {
    const { store, inner, calls } = recordingStore();
    const client = await clientOf({ tokenStore: store });
    const pair = await login();
    await inner.set(key, { ...pair, tokenType: "Bearer", scopes: ["users"] });
    expect(client.auth.tokenManager.token).toBeNull();
    const changes: unknown[] = [];
    client.auth.tokenManager.onTokenChange((token) => changes.push(token?.accessToken));

    await Promise.all(Array.from({ length: 50 }, () => client.graphQL.rawQuery(query)));

    expect(calls).toEqual([`get ${key}`]);
    expect(client.auth.tokenManager.token?.accessToken).toBe(pair.accessToken);
    expect(client.auth.tokenManager.token?.refreshToken).toBe(pair.refreshToken);
    expect(changes).toEqual([pair.accessToken]);
    expect(await refreshes()).toBe(0);
  });

  it("loadToken() reads it before any call; expiry, scopes and confirmation come back", async () => {
    const store = memoryStore();
    const accessToken = fakeJwt({ sub: "u", exp: 1_900_000_000, cnf: { kid: "device" } });
    await store.set(key, {
      accessToken,
      refreshToken: "rt",
      tokenType: "Bearer",
      expiresAt: 1_900_000_000_000,
      scopes: ["users"],
    });
    const client = await clientOf({ tokenStore: store });
    const token = await client.auth.tokenManager.loadToken();
    expect(token).toBe(client.auth.tokenManager.token);
    expect(token).toMatchObject({ accessToken, refreshToken: "rt", scopes: ["users"], confirmed: true });
    expect(token?.expiresAt).toEqual(new Date(1_900_000_000_000));
    expect(client.auth.tokenManager.canRenew).toBe(true);
  });

  it("gives NoTokenError, and loads again later, when the store is empty", async () => {
    const store = memoryStore();
    const client = await clientOf({ tokenStore: store });
    // (A GraphQL query would go out unauthenticated, as a public query: ask for the token itself.)
    await expect(client.auth.tokenManager.getValidToken()).rejects.toBeInstanceOf(NoTokenError);
    await expect(client.auth.tokenManager.loadToken()).resolves.toBeNull();

    // Another process logs in and stores a token: this client picks it up on its next call.
    await store.set(key, expiredToken("rt-from-elsewhere"));
    expect((await client.auth.tokenManager.loadToken())?.refreshToken).toBe("rt-from-elsewhere");
  });

  it("lets a token fetched or set before the load win over the stored one", async () => {
    const { store, inner } = recordingStore();
    await inner.set(key, expiredToken("rt-stored"));
    const client = await clientOf({ tokenStore: store });
    const set = client.auth.tokenManager.setToken("at-set", "rt-set");
    expect(await client.auth.tokenManager.loadToken()).toBe(set);
    await client.auth.tokenManager.flush();
    expect(await inner.get(key)).toMatchObject({ accessToken: "at-set", refreshToken: "rt-set" });
  });

  it("uses tokenStoreKey, one key per client id and user", async () => {
    const store = memoryStore();
    const alice = await clientOf({ tokenStore: store, tokenStoreKey: "kontist-auth:c:alice" });
    const bob = await clientOf({ tokenStore: store, tokenStoreKey: "kontist-auth:c:bob" });
    alice.auth.tokenManager.setToken("at-alice");
    bob.auth.tokenManager.setToken("at-bob");
    await Promise.all([alice.auth.tokenManager.flush(), bob.auth.tokenManager.flush()]);
    expect((await store.get("kontist-auth:c:alice"))?.accessToken).toBe("at-alice");
    expect((await store.get("kontist-auth:c:bob"))?.accessToken).toBe("at-bob");
    expect(await store.get(key)).toBeUndefined();
  });
});

describe("the token store: writing", () => {
  it("writes a login, a renewal, setToken and a confirmation; clearToken deletes", async () => {
    const server = await startLoopbackServer((_, response) =>
      sendJson(response, 200, {
        access_token: fakeJwt({ sub: "u", scope: "users offline", exp: 1_900_000_000 }),
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: "rt-new",
      }),
    );
    closers.push(() => server.close());
    const { store, inner, calls } = recordingStore();
    const client = new Client({ baseUrl: server.url, ...sandboxClient, tokenStore: store });
    const { tokenManager } = client.auth;

    const login = await tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" });
    expect(await inner.get(key)).toMatchObject({
      accessToken: login.accessToken,
      refreshToken: "rt-new",
      tokenType: "Bearer",
      expiresAt: login.expiresAt?.getTime(),
      scopes: ["users", "offline"],
    });

    await tokenManager.refresh();
    expect(calls.filter((call) => call.startsWith("set"))).toHaveLength(2);

    tokenManager.setToken("at-set", "rt-set");
    await tokenManager.flush();
    expect(await inner.get(key)).toMatchObject({ accessToken: "at-set", refreshToken: "rt-set" });

    const confirmedAccessToken = fakeJwt({ sub: "u", exp: 1_900_000_000, cnf: { kid: "d" } });
    const confirmed = await acceptConfirmedToken(tokenManager, {
      token: confirmedAccessToken,
      refresh_token: "rt-confirmed",
    } as never);
    expect(confirmed.confirmed).toBe(true);
    expect(await inner.get(key)).toMatchObject({
      accessToken: confirmedAccessToken,
      refreshToken: "rt-confirmed",
    });

    tokenManager.clearToken();
    await tokenManager.flush();
    expect(await inner.get(key)).toBeUndefined();
    expect(calls.at(-1)).toBe(`delete ${key}`);
  });

  it("writes in the order of the changes, even when the store is slow", async () => {
    const inner = memoryStore();
    const delays = [60, 0, 30];
    const store: TokenStore = {
      ...inner,
      get: inner.get,
      delete: inner.delete,
      set: async (k, token) => {
        await sleep(delays.shift() ?? 0);
        await inner.set(k, token);
      },
    };
    const client = await clientOf({ tokenStore: store });
    for (const accessToken of ["at-1", "at-2", "at-3"]) client.auth.tokenManager.setToken(accessToken);
    await client.auth.tokenManager.flush();
    expect((await inner.get(key))?.accessToken).toBe("at-3");
  });

  it("clearToken() before the load deletes the stored token, which is then not loaded", async () => {
    const store = memoryStore();
    await store.set(key, expiredToken("rt"));
    const client = await clientOf({ tokenStore: store });
    client.auth.tokenManager.clearToken();
    await client.auth.tokenManager.flush();
    expect(await store.get(key)).toBeUndefined();
    await expect(client.auth.tokenManager.loadToken()).resolves.toBeNull();
  });
});

describe("the token store: one renewal across processes", () => {
  it.each([
    ["without", false],
    ["with", true],
  ])(
    "3 clients × 100 concurrent calls sharing an expired token renew once (%s rotating refresh tokens)",
    async (_, rotateRefreshTokens) => {
      const store = memoryStore();
      const refused: string[] = [];
      const at = await sandboxWith({ rotateRefreshTokens }, refused);
      const clients = await Promise.all(
        [1, 2, 3].map(() => clientOf({ tokenStore: store, refreshLeeway: 0 }, at)),
      );
      await store.set(key, expiredToken((await login(at)).refreshToken));

      const results = await Promise.allSettled(
        clients.flatMap((client) => Array.from({ length: 100 }, () => client.graphQL.rawQuery(query))),
      );

      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(await refreshes(at)).toBe(1);
      expect(refused).toEqual([]);
      const stored = await store.get(key);
      for (const client of clients)
        expect(client.auth.tokenManager.token?.accessToken).toBe(stored?.accessToken);
    },
  );

  it("refresh() adopts the token another process stored instead of renewing again", async () => {
    const store = memoryStore();
    const first = await clientOf({ tokenStore: store });
    const second = await clientOf({ tokenStore: store });
    first.auth.tokenManager.setToken(expiredAccessToken, (await login()).refreshToken);
    await first.auth.tokenManager.flush();
    await second.auth.tokenManager.loadToken();

    const renewed = await first.auth.tokenManager.refresh();
    const adopted = await second.auth.tokenManager.refresh();

    expect(await refreshes()).toBe(1);
    expect(adopted.accessToken).toBe(renewed.accessToken);
    expect(second.auth.tokenManager.token?.accessToken).toBe(renewed.accessToken);
  });

  it("renews with the stored refresh token when the stored token needs renewal too", async () => {
    const store = memoryStore();
    const refused: string[] = [];
    const rotating = await sandboxWith({ rotateRefreshTokens: true }, refused);
    const client = await clientOf({ tokenStore: store }, rotating);
    const old = await login(rotating);
    client.auth.tokenManager.setToken(expiredAccessToken, old.refreshToken);
    await client.auth.tokenManager.flush();
    // Another process renewed and stored an access token that has expired since, with a rotated refresh token.
    const rotated = (await login(rotating)).refreshToken;
    await store.set(key, expiredToken(rotated));

    await client.auth.tokenManager.refresh();

    expect(await refreshes(rotating)).toBe(1);
    expect(refused).toEqual([]);
  });

  it("finding 18: takes the lock for the key with a TTL that covers the store read, the request and the store write (finding 2: for the write of setToken too)", async () => {
    const inner = memoryStore();
    const locks: unknown[] = [];
    const store: TokenStore = {
      get: inner.get,
      set: inner.set,
      delete: inner.delete,
      lock: (k, options) => {
        locks.push({ k, ...options });
        return inner.lock(k, options);
      },
    };
    const client = await clientOf({ tokenStore: store, timeout: 4_000 });
    client.auth.tokenManager.setToken(expiredAccessToken, (await login()).refreshToken);
    await client.auth.tokenManager.refresh();
    expect(locks).toEqual([
      { k: key, ttlMs: 12_000, timeoutMs: 16_000 },
      { k: key, ttlMs: 12_000, timeoutMs: 16_000 },
    ]);
  });

  it("renews without a lock when the store has none, and writes the result", async () => {
    const backing = memoryStore();
    const { store, calls } = recordingStore({ get: backing.get, set: backing.set, delete: backing.delete });
    const client = await clientOf({ tokenStore: store });
    client.auth.tokenManager.setToken(expiredAccessToken, (await login()).refreshToken);
    await client.graphQL.rawQuery(query);
    expect(await refreshes()).toBe(1);
    expect(calls.filter((call) => call.startsWith("lock"))).toEqual([]);
    expect(calls.filter((call) => call.startsWith("set"))).toHaveLength(2);
  });
});

describe("the token store: failures", () => {
  const secretsOf = (client: Client) =>
    [client.auth.tokenManager.token?.accessToken, client.auth.tokenManager.token?.refreshToken].filter(
      (value): value is string => typeof value === "string",
    );

  const expectTypedStoreError = (error: unknown, client: Client, code = "TOKEN_STORE_ERROR") => {
    expect(error).toBeInstanceOf(TokenStoreError);
    expect(isTokenStoreError(error, code as never)).toBe(true);
    const shown = `${String(error)} ${JSON.stringify(error)}`;
    for (const secret of secretsOf(client)) expect(shown).not.toContain(secret);
  };

  it("a failing load is a TOKEN_STORE_ERROR with the cause; nothing is sent; the next call loads", async () => {
    const { store, inner, failing } = recordingStore();
    const client = await clientOf({ tokenStore: store });
    await inner.set(key, { ...(await login()), tokenType: "Bearer", scopes: [] });
    failing.add("get");
    const error = await client.graphQL.rawQuery(query).catch((e: unknown) => e);
    expectTypedStoreError(error, client);
    expect((error as Error).cause).toMatchObject({ message: "disk on fire during get" });
    expect(await sandbox.received("POST /api/graphql")).toBe(0);
    failing.clear();
    await expect(client.graphQL.rawQuery(query)).resolves.toBeDefined();
  });

  it("a failing write after a login is a typed error, and the client keeps the new token", async () => {
    const { store, failing } = recordingStore();
    const server = await startLoopbackServer((_, response) =>
      sendJson(response, 200, { access_token: "at-login", token_type: "Bearer", refresh_token: "rt-login" }),
    );
    closers.push(() => server.close());
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s", tokenStore: store });
    failing.add("set");
    const error = await client.auth.tokenManager
      .fetchTokenFromCredentials({ username: "u", password: "p" })
      .catch((e: unknown) => e);
    expectTypedStoreError(error, client);
    expect(client.auth.tokenManager.token?.accessToken).toBe("at-login");
  });

  it("a failing write after a renewal: refresh() throws it, API calls go on with the renewed token", async () => {
    const { store, inner, failing } = recordingStore();
    const client = await clientOf({ tokenStore: store, refreshLeeway: 0 });
    await inner.set(key, expiredToken((await login()).refreshToken));
    await client.auth.tokenManager.loadToken();
    failing.add("set");

    const error = await client.auth.tokenManager.refresh().catch((e: unknown) => e);
    expectTypedStoreError(error, client);
    const renewed = client.auth.tokenManager.token;
    expect(renewed?.isExpired()).toBe(false);
    expect(await refreshes()).toBe(1);

    await expect(client.graphQL.rawQuery(query)).resolves.toBeDefined();
    expect(client.auth.tokenManager.token).toBe(renewed);
  });

  it("a renewal needed by an API call whose write fails still serves the call", async () => {
    const { store, inner, failing } = recordingStore();
    const client = await clientOf({ tokenStore: store, refreshLeeway: 0 });
    await inner.set(key, expiredToken((await login()).refreshToken));
    await client.auth.tokenManager.loadToken();
    failing.add("set");
    await expect(client.graphQL.rawQuery(query)).resolves.toBeDefined();
    expect(client.auth.tokenManager.token?.isExpired()).toBe(false);
  });

  it("a lock that cannot be taken fails the renewal with its code, and the token stays", async () => {
    const { store, inner, failing } = recordingStore();
    const client = await clientOf({ tokenStore: store });
    const stored = expiredToken((await login()).refreshToken);
    await inner.set(key, stored);
    const before = await client.auth.tokenManager.loadToken();
    failing.add("lock");
    expectTypedStoreError(await client.auth.tokenManager.refresh().catch((e: unknown) => e), client);
    failing.clear();

    const held = await inner.lock?.(key, { ttlMs: 60_000 });
    const timingOut = await clientOf({ tokenStore: store, timeout: 100 });
    await timingOut.auth.tokenManager.loadToken();
    const error = await timingOut.auth.tokenManager.refresh().catch((e: unknown) => e);
    expectTypedStoreError(error, timingOut, "TOKEN_STORE_LOCK_TIMEOUT");
    await held?.release();

    expect(client.auth.tokenManager.token).toBe(before);
    expect(await refreshes()).toBe(0);
  });

  it("setToken() writes in the background: flush() reports a failure once", async () => {
    const { store, failing } = recordingStore();
    const client = await clientOf({ tokenStore: store });
    failing.add("set");
    const token = client.auth.tokenManager.setToken("at-1", "rt-1");
    const error = await client.auth.tokenManager.flush().catch((e: unknown) => e);
    expectTypedStoreError(error, client);
    expect(client.auth.tokenManager.token).toBe(token);
    await expect(client.auth.tokenManager.flush()).resolves.toBeUndefined();
  });

  it("a stored value that is not a token is TOKEN_STORE_CORRUPT", async () => {
    const store: TokenStore = {
      get: async () => ({ access: "refresh-me" }) as never,
      set: async () => {},
      delete: async () => {},
    };
    const client = await clientOf({ tokenStore: store });
    const error = await client.auth.tokenManager.loadToken().catch((e: unknown) => e);
    expectTypedStoreError(error, client, "TOKEN_STORE_CORRUPT");
    expect(String(error)).not.toContain("refresh-me");
  });

  it("the store's own typed errors pass through unchanged", async () => {
    const corrupt = new TokenStoreError(
      "TOKEN_STORE_CORRUPT",
      "The token file /x is not a token store file.",
    );
    const store: TokenStore = {
      get: async () => {
        throw corrupt;
      },
      set: async () => {},
      delete: async () => {},
    };
    const client = await clientOf({ tokenStore: store });
    await expect(client.auth.tokenManager.getValidToken()).rejects.toBe(corrupt);
  });
});

describe("Client options", () => {
  it("defaults tokenStoreKey to kontist-auth:<clientId>", async () => {
    const store = memoryStore();
    const client = new Client({ clientId: "my client", tokenStore: store });
    client.auth.tokenManager.setToken("at");
    await client.auth.tokenManager.flush();
    expect(await store.get("kontist-auth:my client")).toMatchObject({ accessToken: "at" });
  });

  it.each([
    ["an empty tokenStoreKey", { tokenStoreKey: "" }],
    ["a tokenStore without delete", { tokenStore: { get: async () => undefined, set: async () => {} } }],
    ["a tokenStore that is a string", { tokenStore: "redis://localhost" }],
  ])("refuses %s", (_, options) => {
    expect(() => new Client({ clientId: "c", ...(options as object) })).toThrow(TypeError);
  });
});
