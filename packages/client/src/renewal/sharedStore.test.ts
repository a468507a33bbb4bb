import { sleep } from "@kontist-auth/protocol";
import {
  type LockingTokenStore,
  memoryStore,
  type StoredToken,
  type TokenStore,
} from "@kontist-auth/token-store";
import { afterEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { acceptConfirmedToken } from "../auth/acceptConfirmedToken";
import { Client } from "../Client";
import type { ClientOptions } from "../options/ClientOptions";

// Processes sharing one token store, played by clients sharing one memoryStore (its lock is the same for
// every client that holds it, as a fileStore's or redisStore's is across processes): which token wins
// when renewals, logins, confirmations and logouts race.

const key = "kontist-auth:c";
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A token endpoint as Kontist's: a refresh answers a new access token for `sub` `user-1`, confirmed (a
 * `cnf` claim) when the refresh token is a confirmed one (`rt-confirmed…`), after `delay` ms.
 */
async function tokenEndpoint(delay = 0) {
  let serial = 0;
  server = await startLoopbackServer(async (request, response) => {
    await sleep(delay);
    const refreshToken = new URLSearchParams(request.body).get("refresh_token") ?? "";
    const confirmed = refreshToken.startsWith("rt-confirmed");
    sendJson(response, 200, {
      access_token: fakeJwt({
        sub: "user-1",
        exp: inAnHour(),
        jti: `at-${++serial}`,
        ...(confirmed ? { cnf: { kid: "device-1" } } : {}),
      }),
      token_type: "Bearer",
      expires_in: 3600,
    });
  });
  return server;
}

function clientOf(tokenStore: TokenStore, options: Partial<ClientOptions> = {}) {
  return new Client({
    baseUrl: server?.url ?? "http://127.0.0.1:9",
    clientId: "c",
    clientSecret: "s",
    tokenStore,
    ...options,
  });
}

function stored(claims: Record<string, unknown>, refreshToken: string, expiresInSeconds = 3600): StoredToken {
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  return {
    accessToken: fakeJwt({ sub: "user-1", exp, ...claims }),
    refreshToken,
    tokenType: "Bearer",
    expiresAt: exp * 1000,
    scopes: ["users", "offline"],
  };
}

const confirmedBody = (refreshToken = "rt-confirmed-1") => ({
  token: fakeJwt({ sub: "user-1", exp: inAnHour(), cnf: { kid: "device-1" } }),
  refresh_token: refreshToken,
});

describe("finding 2: which stored token a renewal adopts", () => {
  it("finding 2: does not adopt another user's token found under the key", async () => {
    await tokenEndpoint();
    const store = memoryStore();
    const client = clientOf(store);
    await store.set(key, stored({ jti: "own" }, "rt-own", -60));
    await client.auth.tokenManager.loadToken();
    // Another user's token, fresher than ours, shows up under the same key.
    const theirs = stored({ sub: "user-2" }, "rt-theirs", 7200);
    await store.set(key, theirs);

    const renewed = await client.auth.tokenManager.refresh();

    expect(renewed.accessToken).not.toBe(theirs.accessToken);
    expect(renewed.claims?.sub).toBe("user-1");
    expect(new URLSearchParams(server?.requests[0]?.body).get("refresh_token")).toBe("rt-own");
  });

  it("finding 2: does not adopt a stored token older than its own", async () => {
    await tokenEndpoint();
    const store = memoryStore();
    const client = clientOf(store);
    const older = stored({ jti: "older" }, "rt-older", 600);
    client.auth.tokenManager.setToken(stored({ jti: "newer" }, "rt-newer", 1200).accessToken, "rt-newer");
    await client.auth.tokenManager.flush();
    await store.set(key, older);

    const renewed = await client.auth.tokenManager.refresh();

    expect(renewed.accessToken).not.toBe(older.accessToken);
    expect(server?.requests).toHaveLength(1);
    expect(new URLSearchParams(server?.requests[0]?.body).get("refresh_token")).toBe("rt-newer");
    expect((await store.get(key))?.accessToken).toBe(renewed.accessToken);
  });

  it("finding 2: never trades its confirmed token for an unconfirmed one of the same user", async () => {
    await tokenEndpoint();
    const store = memoryStore();
    const client = clientOf(store);
    const confirmed = stored({ cnf: { kid: "device-1" } }, "rt-confirmed-1", 1200);
    client.auth.tokenManager.setToken(confirmed.accessToken, "rt-confirmed-1");
    await client.auth.tokenManager.flush();
    // A renewal elsewhere from the pre-confirmation refresh token: later expiry, but unconfirmed.
    const unconfirmed = stored({ jti: "elsewhere" }, "rt-unconfirmed", 3600);
    await store.set(key, unconfirmed);

    const renewed = await client.auth.tokenManager.refresh();

    expect(renewed.confirmed).toBe(true);
    expect(new URLSearchParams(server?.requests[0]?.body).get("refresh_token")).toBe("rt-confirmed-1");
    const after = await store.get(key);
    expect(after?.accessToken).toBe(renewed.accessToken);
    expect(after?.refreshToken).toBe("rt-confirmed-1");
  });

  it("finding 2: adopts a confirmed token of the same user stored by another process", async () => {
    await tokenEndpoint();
    const store = memoryStore();
    const client = clientOf(store);
    client.auth.tokenManager.setToken(stored({}, "rt-unconfirmed", -60).accessToken, "rt-unconfirmed");
    await client.auth.tokenManager.flush();
    const confirmed = stored({ cnf: { kid: "device-1" } }, "rt-confirmed-1", 1200);
    await store.set(key, confirmed);

    const adopted = await client.auth.tokenManager.refresh();

    expect(adopted.accessToken).toBe(confirmed.accessToken);
    expect(adopted.confirmed).toBe(true);
    expect(server?.requests).toHaveLength(0);
  });

  it("finding 2: a confirmation during another process's renewal is not undone by it, in the store or there", async () => {
    await tokenEndpoint(300);
    const store = memoryStore();
    const renewing = clientOf(store);
    const confirming = clientOf(store);
    await store.set(key, stored({}, "rt-unconfirmed", 600));
    await Promise.all([renewing.auth.tokenManager.loadToken(), confirming.auth.tokenManager.loadToken()]);

    const renewal = renewing.auth.tokenManager.refresh();
    await sleep(100); // the renewal holds the store's lock, its token request in flight
    const body = confirmedBody();
    const confirmation = acceptConfirmedToken(confirming.auth.tokenManager, body);
    const [renewed] = await Promise.all([renewal, confirmation]);
    expect(renewed.confirmed).toBe(false);

    // The confirmed token is what the store holds; the renewing process adopts it on its next renewal.
    expect(await store.get(key)).toMatchObject({ accessToken: body.token, refreshToken: body.refresh_token });
    const next = await renewing.auth.tokenManager.refresh();
    expect(next.accessToken).toBe(body.token);
    expect(next.confirmed).toBe(true);
  });

  it("finding 2: setToken, logins and confirmations write under the store's lock", async () => {
    server = await startLoopbackServer((_, response) =>
      sendJson(response, 200, {
        access_token: fakeJwt({ sub: "user-1", exp: inAnHour(), jti: "login" }),
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: "rt-login",
      }),
    );
    const store = memoryStore();
    const client = clientOf(store);
    const writes: [string, () => Promise<unknown>][] = [
      [
        "setToken",
        () => {
          client.auth.tokenManager.setToken("at-set");
          return client.auth.tokenManager.flush();
        },
      ],
      ["a login", () => client.auth.tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" })],
      ["a confirmation", () => acceptConfirmedToken(client.auth.tokenManager, confirmedBody())],
    ];
    for (const [what, write] of writes) {
      const before = await store.get(key);
      const held = await store.lock(key, { ttlMs: 60_000 });
      let settled = false;
      const writing = write().finally(() => {
        settled = true;
      });
      await sleep(150);
      expect(settled, what).toBe(false);
      expect(await store.get(key), what).toEqual(before);
      await held.release();
      await writing;
      expect((await store.get(key))?.accessToken, what).toBe(client.auth.tokenManager.token?.accessToken);
    }
  });
});

describe("finding 4: a logout in one process", () => {
  it("finding 4: is not undone by another process's later renewal", async () => {
    await tokenEndpoint();
    const store = memoryStore();
    const staying = clientOf(store);
    const leaving = clientOf(store);
    await store.set(key, stored({}, "rt-1", -60));
    await Promise.all([staying.auth.tokenManager.loadToken(), leaving.auth.tokenManager.loadToken()]);
    const seen: unknown[] = [];
    staying.auth.tokenManager.onTokenChange((token) => seen.push(token));

    await leaving.auth.tokenManager.logout();
    const error = await staying.auth.tokenManager.refresh().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: "TOKEN_RENEWAL_FAILED" });
    expect((error as Error).message).toMatch(/log/i);
    expect(await store.get(key)).toBeUndefined();
    expect(staying.auth.tokenManager.token).toBeNull();
    expect(seen).toEqual([null]);
    expect(server?.requests).toHaveLength(0);
    await expect(staying.auth.tokenManager.getValidToken()).rejects.toMatchObject({ code: "NO_TOKEN" });
  });

  it("finding 4: is not undone by another process's renewal that was under way", async () => {
    await tokenEndpoint(300);
    const store = memoryStore();
    const renewing = clientOf(store);
    const leaving = clientOf(store);
    await store.set(key, stored({}, "rt-1", -60));
    await Promise.all([renewing.auth.tokenManager.loadToken(), leaving.auth.tokenManager.loadToken()]);

    const renewal = renewing.auth.tokenManager.refresh();
    await sleep(100); // the renewal's token request is in flight
    await leaving.auth.tokenManager.logout();
    await renewal;

    expect(await store.get(key)).toBeUndefined();
    await expect(renewing.auth.tokenManager.refresh()).rejects.toMatchObject({
      code: "TOKEN_RENEWAL_FAILED",
    });
    expect(await store.get(key)).toBeUndefined();
  });
});

describe("finding 8: a confirmation's write", () => {
  it("finding 8: does not reject because of an older, unrelated store failure", async () => {
    const inner = memoryStore();
    let failNextSet = true;
    const store: LockingTokenStore = {
      get: (k) => inner.get(k),
      delete: (k) => inner.delete(k),
      set: async (k, token) => {
        if (failNextSet) {
          failNextSet = false;
          throw new Error("disk full, once");
        }
        await inner.set(k, token);
      },
      lock: async (k, options) => {
        const lock = await inner.lock(k, options);
        // Writes under the lock go through the store's set, so they fail as it does.
        return { ...lock, release: () => lock.release(), set: (token) => store.set(k, token) };
      },
    };
    const client = clientOf(store);
    client.auth.tokenManager.setToken("at-before"); // its background write fails
    await sleep(50);

    const body = confirmedBody();
    await expect(acceptConfirmedToken(client.auth.tokenManager, body)).resolves.toMatchObject({
      confirmed: true,
    });
    expect((await inner.get(key))?.accessToken).toBe(body.token);
    // The older failure is moot: the store holds the current token.
    await expect(client.auth.tokenManager.flush()).resolves.toBeUndefined();
  });
});

describe("finding 9: a renewal's deadline", () => {
  /** A memoryStore whose `operation` never settles once `hang` is set. */
  function hangingStore(operation: "get" | "set" | "lock") {
    const inner = memoryStore();
    const state = { hang: false };
    const never = new Promise<never>(() => {});
    const store: LockingTokenStore = {
      get: (k) => (state.hang && operation === "get" ? never : inner.get(k)),
      delete: (k) => inner.delete(k),
      set: (k, token) => (state.hang && operation === "set" ? never : inner.set(k, token)),
      lock: async (k, options) => {
        if (state.hang && operation === "lock") return never;
        const lock = await inner.lock(k, options);
        return {
          ...lock,
          release: () => lock.release(),
          set: (token) => (state.hang && operation === "set" ? never : lock.set(token)),
        };
      },
    };
    return { store, inner, state };
  }

  it.each(["get", "set", "lock"] as const)(
    "finding 9: a store %s that hangs fails the shared renewal, for every caller, with a typed error",
    async (operation) => {
      await tokenEndpoint();
      const { store, inner, state } = hangingStore(operation);
      await inner.set(key, stored({}, "rt-1", -60));
      const client = clientOf(store, { timeout: 200 });
      await client.auth.tokenManager.loadToken();
      state.hang = true;

      const started = Date.now();
      const outcomes = await Promise.race([
        Promise.allSettled([1, 2, 3].map(() => client.auth.tokenManager.refresh())),
        sleep(4_000).then(() => "still pending" as const),
      ]);

      expect(outcomes).not.toBe("still pending");
      if (outcomes === "still pending") return;
      for (const outcome of outcomes) {
        expect(outcome.status).toBe("rejected");
        expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: "TIMEOUT" });
      }
      expect(Date.now() - started).toBeLessThan(3_000);
      // The client is not stuck: once the store answers again, the next renewal goes through.
      state.hang = false;
      await expect(client.auth.tokenManager.refresh()).resolves.toMatchObject({ tokenType: "Bearer" });
    },
  );

  it("finding 9: a store get that hangs on load fails the API call in time", async () => {
    await tokenEndpoint();
    const { store, state } = hangingStore("get");
    state.hang = true;
    const client = clientOf(store, { timeout: 200 });
    const outcome = await Promise.race([
      client.auth.tokenManager.getValidToken().catch((e: unknown) => e),
      sleep(3_000).then(() => "still pending"),
    ]);
    expect(outcome).toMatchObject({ code: "TIMEOUT" });
  });
});
